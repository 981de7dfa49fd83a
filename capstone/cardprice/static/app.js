// The UI is a thin client: every rule lives in the API, and its messages are shown as they come.
const $ = (id) => document.getElementById(id);
const money = (x) => "$" + x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// The choices come from the API's own OpenAPI schema, so the form cannot drift from the contract.
async function fillChoices() {
  const schema = await (await fetch("/openapi.json")).json();
  const fields = schema.components.schemas.CardQuery.properties;
  for (const name of ["language", "condition", "grading_company", "marketplace"]) {
    for (const value of fields[name].enum) {
      $(name).add(new Option(value.replaceAll("_", " "), value, false, value === fields[name].default));
    }
  }
  $("sale_date").value = new Date().toISOString().slice(0, 10);
}

let searchTimer;
function searchCards() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const text = $("card").value.trim();
    if (text.length < 2 || /^\S+ \d{3}\/\d{3}/.test(text)) return;
    const response = await fetch("/api/cards?limit=30&q=" + encodeURIComponent(text));
    if (!response.ok) return;
    $("card-options").replaceChildren(...(await response.json()).map((c) =>
      new Option(`${c.set_code} ${c.card_number} · ${c.card_name} (${c.set_name}, ${c.rarity})`)));
  }, 150);
}

function query() {
  // "BS 004/102 · Charizard ..." -> set BS, number 004/102; anything else goes as typed.
  const text = $("card").value.trim();
  const match = text.match(/^(\S+) (\d{3}\/\d{3})/);
  const body = {
    set_code: match ? match[1] : text.split(" ")[0] || "",
    card_number: match ? match[2] : text.split(" ").slice(1).join(" "),
    language: $("language").value,
    condition: $("condition").value,
    grading_company: $("grading_company").value,
    marketplace: $("marketplace").value,
    first_edition: $("first_edition").checked,
  };
  if ($("grade").value !== "") body.grade = Number($("grade").value);
  if ($("sale_date").value) body.sale_date = $("sale_date").value;
  return body;
}

async function predict(event) {
  event.preventDefault();
  // ### BEGIN SOLUTION
  $("error").hidden = true;
  $("predict").disabled = true;
  try {
    const response = await fetch("/api/predict", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(query()),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || `the service answered ${response.status}`);
    $("price").textContent = money(body.price_usd);
    $("range").textContent = `${money(body.low_usd)} – ${money(body.high_usd)}`;
    $("card-label").textContent = `${body.card_name}, ${body.set_name}`;
    $("model-version").textContent = body.model_version;
    $("result").hidden = false;
  } catch (error) {
    $("result").hidden = true;
    $("error").textContent = error.message;
    $("error").hidden = false;
  } finally {
    $("predict").disabled = false;
  }
  // ### END SOLUTION
}

fillChoices();
$("card").addEventListener("input", searchCards);
$("query").addEventListener("submit", predict);
