"""API tests through the real app: readiness, a prediction, and each error case of the contract."""

import pytest
from cardprice.service import create_app
from fastapi.testclient import TestClient

CARD = {"set_code": "BS", "card_number": "004/102"}


@pytest.fixture(scope="module")
def client(predictor):
    return TestClient(create_app())


def test_without_a_model_the_service_is_alive_but_not_ready(tmp_path):
    client = TestClient(create_app(model_path=tmp_path / "no-model.joblib"))
    assert client.get("/health").status_code == 200
    response = client.get("/ready")
    assert response.status_code == 503 and "no model yet" in response.json()["message"]


def test_ready_names_the_model_version(client, predictor):
    assert client.get("/ready").json() == {"ready": True, "model_version": predictor.version}


def test_a_valid_request_gets_a_price_with_range_and_version(client, predictor):
    response = client.post("/api/predict", json={**CARD, "grading_company": "PSA", "grade": 9})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["low_usd"] <= body["price_usd"] <= body["high_usd"] and body["model_version"] == predictor.version


def test_the_ui_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200 and "Predict price" in response.text


def test_each_bad_request_gets_its_status_and_a_message(client):
    ### BEGIN SOLUTION
    cases = [
        ({"set_code": "BS"}, 422, "invalid_request"),
        ({**CARD, "grade": 9}, 422, "invalid_request"),
        ({**CARD, "grading_company": "PSA", "grade": 9.5}, 422, "invalid_request"),
        ({**CARD, "condition": "shiny"}, 422, "invalid_request"),
        ({**CARD, "colour": "red"}, 422, "invalid_request"),
        ({**CARD, "first_edition": True, "set_code": "SVI", "card_number": "002/198"}, 422, "invalid_request"),
        ({"set_code": "ZZ", "card_number": "001/001"}, 404, "unknown_card"),
    ]
    for body, status, error in cases:
        response = client.post("/api/predict", json=body)
        assert (response.status_code, response.json()["error"]) == (status, error), (body, response.text)
        assert response.json()["message"], body
    ### END SOLUTION


def test_malformed_json_is_a_400_not_a_500(client):
    ### BEGIN SOLUTION
    response = client.post("/api/predict", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_json"
    ### END SOLUTION


def test_an_oversized_body_is_refused(client):
    ### BEGIN SOLUTION
    response = client.post("/api/predict", content=b" " * 20_000, headers={"content-type": "application/json"})
    assert response.status_code == 413
    ### END SOLUTION


def test_metrics_count_requests(client):
    client.post("/api/predict", json=CARD)
    assert "cardprice_requests_total" in client.get("/metrics").text
