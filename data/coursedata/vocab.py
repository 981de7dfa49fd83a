"""Category vocabularies shared by generators, loaders and schemas (no heavy imports)."""

# Ordered from least to most valuable: loaders make these ordered categoricals.
RARITIES = ["Common", "Uncommon", "Rare", "Holo Rare", "Ultra Rare", "Secret Rare"]
CONDITIONS = [
    "damaged",
    "heavily_played",
    "moderately_played",
    "lightly_played",
    "near_mint",
    "mint",
]
GRADING_COMPANIES = ["PSA", "BGS", "CGC", "ungraded"]
LANGUAGES = ["en", "ja", "de", "fr", "it", "es", "ko", "zh"]
MARKETPLACES = ["ebay", "tcgplayer", "cardmarket", "auction_house"]
# The 11 energy types of the trading card game, with their one-letter cost symbols.
ENERGY_SYMBOLS = {
    "Grass": "G",
    "Fire": "R",
    "Water": "W",
    "Lightning": "L",
    "Psychic": "P",
    "Fighting": "F",
    "Darkness": "D",
    "Metal": "M",
    "Fairy": "Y",
    "Dragon": "N",
    "Colorless": "C",
}
CARD_TYPES = list(ENERGY_SYMBOLS)
# Game type -> card energy type (the usual TCG convention, simplified).
GAME_TO_CARD_TYPE = {
    "grass": "Grass",
    "bug": "Grass",
    "fire": "Fire",
    "water": "Water",
    "ice": "Water",
    "electric": "Lightning",
    "psychic": "Psychic",
    "ghost": "Psychic",
    "poison": "Psychic",
    "fighting": "Fighting",
    "rock": "Fighting",
    "ground": "Fighting",
    "dark": "Darkness",
    "steel": "Metal",
    "fairy": "Fairy",
    "dragon": "Dragon",
    "normal": "Colorless",
    "flying": "Colorless",
}
GAME_TYPES = sorted(GAME_TO_CARD_TYPE)
MECHANICS = ["none", "ex", "EX", "GX", "V", "VMAX", "VSTAR"]
ERAS = ["WotC", "EX", "DP-HGSS", "BW-XY", "SM", "SwSh", "SV"]
