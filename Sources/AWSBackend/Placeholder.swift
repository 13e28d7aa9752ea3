// The AWS backend lands here.
