# expect-fail: schema_changes_found, type_changes_found, quality_problems_found, unit_change_found, drift_found, no_false_drift, clean_drop_quiet, verdicts
# why: returns only the list of quality findings instead of the report dict: nothing downstream can read it

@app.function
def validate_drop(drop: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Schema, quality and drift report of a text-typed drop against the typed training data."""
    findings = []
    for column in drop.columns:
        if column in FIELDS and not FIELDS[column].nullable and drop[column].isna().any():
            findings.append({"column": column, "issue": "missing_values", "n_rows": int(drop[column].isna().sum())})
    return findings
