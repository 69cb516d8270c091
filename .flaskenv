# Read by the flask command: `flask db upgrade` and friends load the app from run.py.
FLASK_APP=run
