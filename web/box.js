// Placeholder: the reader's box is being written (issue 14).
