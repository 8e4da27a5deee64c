"""The real Surrey data SafetyHub ships, for the demo and the real-data tests.

police.uk street-level crime and ASB for Surrey Police, January to April 2024, and Surrey's
rows of the IMD 2019 deciles and LSOA population. Contains public sector information licensed
under the Open Government Licence v3.0.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

FOLDER = Path(__file__).parent / "surrey_data"
MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04")
# The shipped reference files under the names `safetyhub import reference` reads.
REFERENCE = {"imd_surrey.csv.gz": "imd2019_england_lsoa.csv",
             "population_surrey.csv.gz": "iod2019_population_lsoa.csv"}


def unpack(folder: Path) -> Path:
    """Write the shipped files into `folder` laid out as the shared data folder is (the two
    reference files and `police-uk/` with one file a month); `folder`."""
    police = folder / "police-uk"
    police.mkdir(parents=True, exist_ok=True)
    targets = {FOLDER / f"{month}-surrey-street.csv.gz": police / f"{month}-surrey-street.csv"
               for month in MONTHS}
    targets.update({FOLDER / packed: folder / name for packed, name in REFERENCE.items()})
    for packed, target in targets.items():
        with gzip.open(packed, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    return folder
