"""Getting scripts in and out: CSV import and export, show packages, report data.

Plain Python, no Qt: the printed layouts that use these live in ``ui/printing``.

- ``csv_detect``: the file's encoding and delimiter;
- ``csv_mapping``: which column is which, value aliases, department matching
  and the choices remembered for next time;
- ``csv_import``: read a file into an ``ImportPreview`` listing every problem,
  then write it as a new script in one transaction;
- ``csv_export``: a script (all or some departments) as CSV the import reads
  back exactly;
- ``package``: a whole show in one file, imported as a copy or as an update;
- ``report_data``: what a printed calling script or cue sheet shows.
"""
