"""Getting scripts in and out: CSV import and export, show packages, report data.

Plain Python, no Qt: the printed layouts that use these live in ``ui/printing``.

- ``csv_detect``: the file's encoding, delimiter, header row and cells, and
  the guard against cells a spreadsheet would run as formulas;
- ``csv_mapping``: which column is which, value aliases, the choices
  remembered for next time; ``csv_departments``: which department a name means;
- ``csv_preview`` and ``csv_tree``: rows read into elements, groups built from
  paths, unnumbered cues numbered, every problem listed;
- ``csv_import``: preview, then write the new script in ONE transaction;
- ``csv_export``: a script (all or some departments) as CSV the import reads
  back exactly;
- ``package``, ``package_file``, ``package_apply``, ``package_import``: a
  whole show in one file, imported as a new show, a copy, or an update;
- ``report_data``: what a printed calling script or cue sheet shows;
- ``commands``: the command-line subcommands for all of the above.
"""
