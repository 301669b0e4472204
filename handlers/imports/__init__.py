"""Files that bring work in: a plan (.docx, .xlsx, .csv, pasted text) or a score sheet,
told apart by their content, read in a worker process, reviewed and stored (/nhap, and
``dondoc import`` through the same functions)."""
