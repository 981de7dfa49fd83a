"""Real English expansion sets (names, codes, release dates, printed set sizes).

The sets are real public facts; which cards they contain in this course is synthetic.
`gens` limits the base species a set can print (Evolutions and 151 are Kanto-only
remakes); `current_gen` is the newest generation at release (limits forms).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CardSet:
    code: str
    name: str
    release_date: str  # ISO date
    size: int  # printed set size, the "/102" in "4/102"
    era: str
    current_gen: int
    first_edition: bool = False  # Wizards of the Coast sets printed 1st Edition runs
    kanto_only: bool = False

    @property
    def gens(self) -> tuple[int, ...]:
        return (1,) if self.kanto_only else tuple(range(1, self.current_gen + 1))


SETS = [
    CardSet("BS", "Base Set", "1999-01-09", 102, "WotC", 1, True),
    CardSet("JU", "Jungle", "1999-06-16", 64, "WotC", 1, True),
    CardSet("FO", "Fossil", "1999-10-10", 62, "WotC", 1, True),
    CardSet("B2", "Base Set 2", "2000-02-24", 130, "WotC", 1),
    CardSet("TR", "Team Rocket", "2000-04-24", 82, "WotC", 1, True),
    CardSet("G1", "Gym Heroes", "2000-08-14", 132, "WotC", 1, True),
    CardSet("G2", "Gym Challenge", "2000-10-16", 132, "WotC", 1, True),
    CardSet("N1", "Neo Genesis", "2000-12-16", 111, "WotC", 2, True),
    CardSet("N2", "Neo Discovery", "2001-06-01", 75, "WotC", 2, True),
    CardSet("N3", "Neo Revelation", "2001-09-21", 64, "WotC", 2, True),
    CardSet("N4", "Neo Destiny", "2002-02-28", 105, "WotC", 2, True),
    CardSet("EXP", "Expedition Base Set", "2002-09-15", 165, "WotC", 2),
    CardSet("AQ", "Aquapolis", "2003-01-15", 147, "WotC", 2),
    CardSet("SK", "Skyridge", "2003-05-12", 144, "WotC", 2),
    CardSet("RS", "EX Ruby & Sapphire", "2003-07-18", 109, "EX", 3),
    CardSet("RG", "EX FireRed & LeafGreen", "2004-08-30", 112, "EX", 3),
    CardSet("EM", "EX Emerald", "2005-05-09", 106, "EX", 3),
    CardSet("DP", "Diamond & Pearl", "2007-05-23", 130, "DP-HGSS", 4),
    CardSet("PL", "Platinum", "2009-02-11", 127, "DP-HGSS", 4),
    CardSet("HS", "HeartGold & SoulSilver", "2010-02-10", 123, "DP-HGSS", 4),
    CardSet("BLW", "Black & White", "2011-04-25", 114, "BW-XY", 5),
    CardSet("BCR", "Boundaries Crossed", "2012-11-07", 149, "BW-XY", 5),
    CardSet("XY", "XY", "2014-02-05", 146, "BW-XY", 6),
    CardSet("EVO", "Evolutions", "2016-11-02", 108, "BW-XY", 6, kanto_only=True),
    CardSet("SUM", "Sun & Moon", "2017-02-03", 149, "SM", 7),
    CardSet("HIF", "Hidden Fates", "2019-08-23", 68, "SM", 7),
    CardSet("SSH", "Sword & Shield", "2020-02-07", 202, "SwSh", 8),
    CardSet("CPA", "Champion's Path", "2020-09-25", 73, "SwSh", 8),
    CardSet("VIV", "Vivid Voltage", "2020-11-13", 185, "SwSh", 8),
    CardSet("EVS", "Evolving Skies", "2021-08-27", 203, "SwSh", 8),
    CardSet("BRS", "Brilliant Stars", "2022-02-25", 172, "SwSh", 8),
    CardSet("LOR", "Lost Origin", "2022-09-09", 196, "SwSh", 8),
    CardSet("SVI", "Scarlet & Violet", "2023-03-31", 198, "SV", 9),
    CardSet("MEW", "151", "2023-09-22", 165, "SV", 9, kanto_only=True),
    CardSet("PAR", "Paradox Rift", "2023-11-03", 182, "SV", 9),
    CardSet("TEF", "Temporal Forces", "2024-03-22", 162, "SV", 9),
    CardSet("SSP", "Surging Sparks", "2024-11-08", 191, "SV", 9),
    CardSet("PRE", "Prismatic Evolutions", "2025-01-17", 131, "SV", 9),
]
SET_CODES = [s.code for s in SETS]
