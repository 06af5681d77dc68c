"""Static files of the verifier web page."""
