print("cks")
