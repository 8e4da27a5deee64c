"""police.uk street-level crimes and the LSOA reference data (population, deprivation, district)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, IdMixin
from safetyhub.timeutil import utcnow

ASB = "Anti-social behaviour"
VIOLENCE = "Violence and sexual offences"


class PoliceCrimeImport(IdMixin, Base):
    """One import of one police.uk file: its name and time, once rather than on every row."""

    __tablename__ = "police_crime_imports"

    source_file: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class PoliceCrime(Base):
    """One row of a police.uk street-level file (crime or ASB), keyed for idempotent imports."""

    __tablename__ = "police_crimes"
    # No secondary indexes: every read of many rows goes through the DuckDB extract, and each
    # index cost every import a sort of the whole table (migration 0012).

    # The first 128 bits of the Crime ID when police.uk gives one; for ASB rows of a SHA-256 of
    # the row and its occurrence in the file (imports.row_key), so a re-import adds nothing.
    # 16 bytes, not 64 characters: the key is built (and sorted) on every big import.
    record_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    crime_id: Mapped[str | None] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))
    reported_by: Mapped[str] = mapped_column(String(100))
    falls_within: Mapped[str] = mapped_column(String(100))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str] = mapped_column(String(200), default="")
    lsoa_code: Mapped[str | None] = mapped_column(String(9))
    lsoa_name: Mapped[str] = mapped_column(String(100), default="")
    # From the reference by code, else by the LSOA name's district (police.uk uses 2021 LSOAs,
    # the reference 2011 ones); None when unknown.
    district: Mapped[str | None] = mapped_column(String(100))
    crime_type: Mapped[str] = mapped_column(String(60))
    last_outcome: Mapped[str] = mapped_column(String(120), default="")
    context: Mapped[str] = mapped_column(Text, default="")
    out_of_area: Mapped[bool] = mapped_column(default=False)
    # The import that added the row (police_crime_imports.id). No foreign key: its check would
    # run once per row of a million-row COPY, and imports are never deleted.
    import_id: Mapped[uuid.UUID] = mapped_column()


class LsoaReference(Base):
    """An LSOA (2011) with its district, population (mid-2015) and IMD 2019 decile."""

    __tablename__ = "lsoa_reference"

    lsoa_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    district_code: Mapped[str] = mapped_column(String(9))
    district: Mapped[str] = mapped_column(String(100), index=True)
    population: Mapped[int] = mapped_column(Integer)
    imd_decile: Mapped[int | None] = mapped_column(Integer)
