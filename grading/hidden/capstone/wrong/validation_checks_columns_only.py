# expect-fail: data.validation, data.own_tests
# why: "validation" that only checks the columns are there lets every bad value through
# file: cardprice/data.py
def validate_sales(df: pd.DataFrame) -> list[str]:
    missing = [c for c in schemas.cards().columns if c not in df.columns]
    return [f"missing column {c}" for c in missing]
