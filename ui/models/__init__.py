"""Item models: ids and a row cache, targeted dataChanged."""
