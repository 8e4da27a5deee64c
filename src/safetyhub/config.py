"""The one Settings object: every configuration value comes from SAFETYHUB_* variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """SafetyHub configuration, read from the environment (prefix SAFETYHUB_)."""

    model_config = SettingsConfigDict(env_prefix="SAFETYHUB_", extra="ignore")

    database_url: str = f"sqlite:///{Path.cwd() / 'safetyhub.db'}"
    # Session lifetime for API tokens and page sessions.
    session_hours: int = 8
    # Throttle: this many failed sign-ins for one account within the window -> 429.
    sign_in_max_failures: int = 5
    sign_in_window_minutes: int = 15
    # Throttle for the public forms (ASB Case Review application and appeal): at most this many
    # submissions from one client address, and from everyone together, within the window -> 429.
    public_form_max_per_client: int = 5
    public_form_max_total: int = 500
    public_form_window_minutes: int = 60
    # Largest request body the API accepts (bytes); larger bodies answer 413.
    max_request_bytes: int = 1_000_000
    # Cookies get the Secure flag unless this is explicitly off (plain-http local demo).
    secure_cookies: bool = True
    # Working days a receiving agency has to answer a referral.
    referral_response_working_days: int = 5
    # ASB Case Review thresholds, windows and working-day deadlines, and the DASH questions,
    # bands and MARAC rules: a partnership's TOML file overriding the shipped one key by key
    # (casereview/parameters.toml, dash/checklist.toml).
    asb_case_review_parameters_file: Path | None = None
    dash_checklist_file: Path | None = None
    # Page size limits for list endpoints.
    page_size_default: int = 50
    page_size_max: int = 200
    timezone: str = "Europe/London"
    # Record linkage: pairs at or above this probability are linked without review ...
    linkage_auto_link_threshold: float = 0.95
    # ... pairs between the two wait for an analyst; below this one they are not linked.
    linkage_review_threshold: float = 0.60
    # Early warning: a partnership's TOML file overriding the shipped indicator parameters.
    risk_config_path: Path | None = None
    # Meeting papers (presentations, minutes): largest file in bytes, and the file types taken
    # (checked by extension and by the file's own signature). Papers live in the database.
    meeting_attachment_max_bytes: int = 10_000_000
    meeting_attachment_types: list[str] = [
        "pdf", "pptx", "docx", "odp", "odt", "png", "jpg", "jpeg",
    ]
    # The picture's DuckDB extract files (one folder per database); default the system temp
    # folder's safetyhub-picture. `safetyhub import police-uk` rebuilds the extract there.
    picture_extract_dir: Path | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests clear the cache)."""
    return Settings()
