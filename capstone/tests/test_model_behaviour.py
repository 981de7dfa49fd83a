"""Behavioural tests of the trained model: what it must do whatever its score (directions, ranges, the bar)."""

import numpy as np
import pandas as pd
from cardprice import evaluate
from cardprice.predict import sale_row

RAW = {"language": "en", "first_edition": False, "condition": "near_mint", "grading_company": "ungraded",
       "grade": None, "marketplace": "ebay"}
DAY = pd.Timestamp("2025-03-01")


def price(predictor, card, **copy) -> dict:
    return predictor.predict([sale_row(card, {**RAW, **copy}, DAY)])[0]


def test_a_damaged_copy_is_cheaper_than_a_mint_one(predictor, card):
    assert price(predictor, card, condition="damaged")["price_usd"] < price(predictor, card, condition="mint")["price_usd"]


def test_the_prediction_lies_inside_its_range(predictor, card):
    p = price(predictor, card)
    assert 0 < p["low_usd"] <= p["price_usd"] <= p["high_usd"]


def test_a_higher_grade_is_never_cheaper(predictor, card):
    ### BEGIN SOLUTION
    prices = [price(predictor, card, grading_company="PSA", grade=g)["price_usd"] for g in range(6, 11)]
    assert prices == sorted(prices), prices
    ### END SOLUTION


def test_the_same_input_gives_the_same_price(predictor, card):
    ### BEGIN SOLUTION
    assert price(predictor, card) == price(predictor, card)
    ### END SOLUTION


def test_batch_and_single_predictions_agree(predictor, card):
    ### BEGIN SOLUTION
    rows = [sale_row(card, {**RAW, "condition": c}, DAY) for c in ["damaged", "near_mint", "mint"]]
    batch = predictor.predict(rows)
    assert batch == [predictor.predict([r])[0] for r in rows]
    ### END SOLUTION


def test_a_model_beats_the_baseline_out_of_time(sales):
    ### BEGIN SOLUTION
    past, future = evaluate.out_of_time_split(sales)
    model, _ = evaluate.fit_and_score("ridge", past, future)
    baseline, _ = evaluate.fit_and_score("baseline", past, future)
    assert model["rmse_log"] < 0.7 * baseline["rmse_log"], (model, baseline)
    assert np.isfinite(model["mae_usd"])
    ### END SOLUTION
