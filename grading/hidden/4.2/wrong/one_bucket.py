# expect-fail: categories_discriminate
# why: a taxonomy with one category ("misclassified") names no pattern and suggests no fix

@app.function
def categorise(errors: pd.DataFrame) -> list[str]:
    return ["misclassified"] * len(errors)
