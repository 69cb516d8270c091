"""Corkboard: a self-hosted board for visitor feedback and members' notes."""

from pathlib import Path

from flask import Flask

from app.admin.routes import bp as admin_bp
from app.auth.routes import bp as auth_bp
from app.cli import register_commands
from app.comments.routes import bp as comments_bp
from app.converters import IdConverter
from app.database import register_database
from app.deploy import deploy_errors
from app.errors import register_error_handlers
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.feedback.routes import bp as feedback_bp
from app.main.routes import bp as main_bp
from app.models import AnonymousUser, User
from app.notes.routes import bp as notes_bp
from app.observability import register_request_logging
from app.security import register_security
from app.templating import register_template_helpers
from config import ConfigError, configs, load_environment, settings_from_environment

__all__ = ["ConfigError", "create_app"]


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app for `config_name` (default: $FLASK_CONFIG, else development), with
    the settings the environment gives, then `overrides`."""
    environ = load_environment()
    config_name = config_name or environ.get("FLASK_CONFIG", "development")
    if config_name not in configs:
        raise ConfigError(
            f"FLASK_CONFIG={config_name!r} is unknown; use one of {', '.join(configs)}"
        )
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(configs[config_name])
    app.config.update(settings_from_environment(config_name, environ))
    app.config.update(overrides)
    check_config(app, config_name)

    register_request_logging(app)
    register_security(app)
    register_extensions(app)
    register_database(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def check_config(app: Flask, config_name: str) -> None:
    if config_name == "production" and (errors := deploy_errors(app)):
        raise ConfigError(errors[0])


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.user_loader(User.from_login_id)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(main_bp)
    app.register_blueprint(feedback_bp, url_prefix="/feedback")
    app.register_blueprint(notes_bp, url_prefix="/notes")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(comments_bp, url_prefix="/comments")
