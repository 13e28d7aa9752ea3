// The KMS endpoint (cks serve) lands here.
