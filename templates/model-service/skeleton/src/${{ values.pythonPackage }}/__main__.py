"""`python -m <package>`: read the settings, set up logging, serve until told to stop."""

from __future__ import annotations

import sys

from .app import create_app
from .config import ConfigError, Settings
from .logs import configure_logging
from .server import serve


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    app = create_app(settings)
    return serve(app, settings, app.state.service)


if __name__ == "__main__":
    sys.exit(main())
