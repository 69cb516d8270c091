"""Entry point for `flask --app run` and `gunicorn run:app`."""

import sys

from app import ConfigError, create_app

# gunicorn stops (instead of restarting workers forever) when a worker exits with this code.
EXIT_APP_LOAD_ERROR = 4

try:
    app = create_app()
except ConfigError as error:
    # One clear line and a non-zero exit, instead of a traceback.
    print(f"Corkboard cannot start: {error}", file=sys.stderr)
    sys.exit(EXIT_APP_LOAD_ERROR)
