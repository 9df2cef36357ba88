"""Import of the programme's files (French CSV/XLSX): reading, validation, transactional load, journal."""
