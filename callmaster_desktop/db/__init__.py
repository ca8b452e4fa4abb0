"""Database: models, engine and sessions, migrations, integrity check."""
