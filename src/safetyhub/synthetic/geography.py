"""Surrey's real LSOAs (shipped CSV) and towns, for placing synthetic addresses."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DISTRICTS = (
    "Elmbridge", "Epsom and Ewell", "Guildford", "Mole Valley", "Reigate and Banstead",
    "Runnymede", "Spelthorne", "Surrey Heath", "Tandridge", "Waverley", "Woking",
)

# District -> towns with approximate coordinates and their real postcode districts (GU, KT, RH,
# TW, SM, CR). Only the outward codes are real; every full postcode generated is made up.
TOWNS: dict[str, tuple[tuple[str, float, float, tuple[str, ...]], ...]] = {
    "Elmbridge": (
        ("Esher", 51.369, -0.365, ("KT10",)), ("Cobham", 51.329, -0.411, ("KT11",)),
        ("Walton-on-Thames", 51.386, -0.417, ("KT12",)), ("Weybridge", 51.371, -0.457, ("KT13",)),
        ("East Molesey", 51.399, -0.349, ("KT8",)), ("Thames Ditton", 51.389, -0.331, ("KT7",)),
        ("Hersham", 51.367, -0.400, ("KT12",)), ("Claygate", 51.360, -0.340, ("KT10",)),
    ),
    "Epsom and Ewell": (
        ("Epsom", 51.336, -0.268, ("KT17", "KT18")), ("Ewell", 51.350, -0.249, ("KT17", "KT19")),
        ("Stoneleigh", 51.363, -0.248, ("KT19",)),
    ),
    "Guildford": (
        ("Guildford", 51.236, -0.570, ("GU1", "GU2")), ("Ash", 51.250, -0.713, ("GU12",)),
        ("Shalford", 51.214, -0.566, ("GU4",)), ("Send", 51.283, -0.531, ("GU23",)),
        ("Merrow", 51.245, -0.525, ("GU1", "GU4")), ("Burpham", 51.258, -0.541, ("GU4",)),
    ),
    "Mole Valley": (
        ("Dorking", 51.232, -0.331, ("RH4", "RH5")), ("Leatherhead", 51.296, -0.329, ("KT22",)),
        ("Ashtead", 51.309, -0.299, ("KT21",)), ("Great Bookham", 51.278, -0.373, ("KT23",)),
    ),
    "Reigate and Banstead": (
        ("Reigate", 51.237, -0.206, ("RH2",)), ("Redhill", 51.240, -0.170, ("RH1",)),
        ("Banstead", 51.322, -0.205, ("SM7",)), ("Horley", 51.174, -0.159, ("RH6",)),
        ("Tadworth", 51.290, -0.234, ("KT20",)),
    ),
    "Runnymede": (
        ("Addlestone", 51.370, -0.490, ("KT15",)), ("Chertsey", 51.390, -0.509, ("KT16",)),
        ("Egham", 51.431, -0.548, ("TW20",)), ("Virginia Water", 51.402, -0.562, ("GU25",)),
    ),
    "Spelthorne": (
        ("Ashford", 51.434, -0.464, ("TW15",)), ("Sunbury-on-Thames", 51.404, -0.416, ("TW16",)),
        ("Shepperton", 51.390, -0.449, ("TW17",)),
        ("Staines-upon-Thames", 51.434, -0.511, ("TW18",)), ("Stanwell", 51.457, -0.471, ("TW19",)),
    ),
    "Surrey Heath": (
        ("Camberley", 51.337, -0.742, ("GU15",)), ("Frimley", 51.316, -0.744, ("GU16",)),
        ("Bagshot", 51.360, -0.699, ("GU19",)), ("Lightwater", 51.348, -0.670, ("GU18",)),
        ("Windlesham", 51.364, -0.658, ("GU20",)),
    ),
    "Tandridge": (
        ("Oxted", 51.257, -0.004, ("RH8",)), ("Caterham", 51.282, -0.078, ("CR3",)),
        ("Warlingham", 51.309, -0.057, ("CR6",)), ("Godstone", 51.248, -0.067, ("RH9",)),
        ("Lingfield", 51.176, -0.016, ("RH7",)),
    ),
    "Waverley": (
        ("Godalming", 51.186, -0.615, ("GU7",)), ("Farnham", 51.215, -0.799, ("GU9", "GU10")),
        ("Haslemere", 51.090, -0.712, ("GU27",)), ("Cranleigh", 51.141, -0.487, ("GU6",)),
        ("Milford", 51.164, -0.649, ("GU8",)),
    ),
    "Woking": (
        ("Woking", 51.319, -0.558, ("GU21", "GU22")), ("Knaphill", 51.317, -0.612, ("GU21",)),
        ("Byfleet", 51.339, -0.476, ("KT14",)), ("West Byfleet", 51.338, -0.505, ("KT14",)),
        ("Sheerwater", 51.328, -0.523, ("GU21",)),
    ),
}


@dataclass(frozen=True, slots=True)
class Lsoa:
    """One real Surrey LSOA with its nearest town (for addresses)."""

    code: str
    name: str
    district: str
    population: int
    imd_decile: int
    latitude: float
    longitude: float
    town: str
    postcode_districts: tuple[str, ...]


def _nearest_town(district: str, lat: float, lon: float) -> tuple[str, tuple[str, ...]]:
    towns = TOWNS[district]
    # Longitude degrees are ~0.62 of latitude degrees in Surrey: good enough for "nearest".
    best = min(towns, key=lambda t: (t[1] - lat) ** 2 + ((t[2] - lon) * 0.62) ** 2)
    return best[0], best[3]


@lru_cache(maxsize=1)
def surrey_lsoas() -> tuple[Lsoa, ...]:
    """Every Surrey LSOA from the shipped CSV, in code order."""
    text = resources.files("safetyhub.synthetic").joinpath("data/surrey_lsoas.csv").read_text(
        encoding="utf-8"
    )
    lsoas: list[Lsoa] = []
    for row in csv.DictReader(io.StringIO(text)):
        lat, lon = float(row["latitude"]), float(row["longitude"])
        town, postcodes = _nearest_town(row["district"], lat, lon)
        lsoas.append(
            Lsoa(
                code=row["lsoa_code"], name=row["lsoa_name"], district=row["district"],
                population=int(row["population"]), imd_decile=int(row["imd_decile"]),
                latitude=lat, longitude=lon, town=town, postcode_districts=postcodes,
            )
        )
    return tuple(lsoas)
