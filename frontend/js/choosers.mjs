// Choosing organisations and areas with GOV.UK's accessible autocomplete (npm
// `accessible-autocomplete`), as an enhancement of forms that work without JavaScript
// (src/commissioning/accounts/organisation_search.py, issue 11 item 21):
//
// - data-module="app-organisation-search": a text box for an organisation's name; the
//   autocomplete suggests names from the server (data-source) as you type. The server still
//   resolves what is submitted, so a name that matches several organisations is answered with a
//   list to choose from, with or without JavaScript.
// - data-module="app-choose-several": a <select multiple>; the autocomplete adds one option at a
//   time and each chosen one gets a "Remove" button. The select stays in the form (hidden) and is
//   what is submitted.
//
// The autocomplete's script is loaded only on pages that have one of these.

let loading = null;

function loadAutocomplete() {
  loading ??= import("./accessible-autocomplete.min.js").then(() => window.accessibleAutocomplete);
  return loading;
}

// The field's hint and error message, which the autocomplete's own description would replace.
function describedText(element) {
  const ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((node) => node && !node.hidden)
    .map((node) => node.textContent.trim().replace(/\s+/g, " "))
    .join(". ");
}

function assistiveHint(element) {
  const described = describedText(element);
  const how =
    "When autocomplete results are available use up and down arrows to review and enter to select.";
  return () => (described ? `${described}. ${how}` : how);
}

function inputClasses(element) {
  return element.classList.contains("govuk-input--error") ? "govuk-input--error" : "";
}

export async function enhanceOrganisationSearch(input) {
  const accessibleAutocomplete = await loadAutocomplete();
  const source = input.dataset.source;
  const container = document.createElement("div");
  container.className = "app-autocomplete";
  input.before(container);
  accessibleAutocomplete({
    element: container,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    confirmOnBlur: false,
    inputClasses: inputClasses(input),
    tAssistiveHint: assistiveHint(input),
    tNoResults: () => "No matching names",
    source: (query, populate) => {
      const url = `${source}&q=${encodeURIComponent(query)}`;
      fetch(url, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => populate(data.results.map((found) => found.name)))
        .catch(() => populate([]));
    },
  });
  input.remove();
}

export async function enhanceChooseSeveral(select) {
  const accessibleAutocomplete = await loadAutocomplete();
  const id = select.id;
  const options = [...select.options];
  const hint = assistiveHint(select);
  select.id = `${id}-select`;
  select.hidden = true;
  select.removeAttribute("aria-describedby");
  const how = select.parentElement.querySelector(".app-choose-several__how");
  if (how) how.remove();

  const chosen = document.createElement("ul");
  chosen.className = "govuk-list app-choose-several__chosen";
  const status = document.createElement("p");
  status.className = "govuk-visually-hidden";
  status.setAttribute("aria-live", "polite");
  const container = document.createElement("div");
  container.className = "app-autocomplete";
  select.after(chosen, container, status);

  let input = null;
  const render = () => {
    chosen.replaceChildren(
      ...options
        .filter((option) => option.selected)
        .map((option) => {
          const item = document.createElement("li");
          item.className = "app-choose-several__item";
          const name = document.createElement("span");
          name.textContent = option.text;
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "govuk-button govuk-button--secondary app-choose-several__remove";
          remove.innerHTML = 'Remove<span class="govuk-visually-hidden"></span>';
          remove.querySelector("span").textContent = ` ${option.text}`;
          remove.addEventListener("click", () => {
            option.selected = false;
            render();
            status.textContent = `${option.text} removed`;
            input?.focus();
          });
          item.append(name, remove);
          return item;
        }),
    );
  };

  accessibleAutocomplete({
    element: container,
    id,
    name: "",
    minLength: 1,
    confirmOnBlur: false,
    inputClasses: inputClasses(select),
    tAssistiveHint: hint,
    tNoResults: () => "No matching names",
    source: (query, populate) => {
      const term = query.trim().toLowerCase();
      populate(
        options
          .filter((option) => !option.selected && option.text.toLowerCase().includes(term))
          .map((option) => option.text),
      );
    },
    onConfirm: (text) => {
      const option = options.find((candidate) => candidate.text === text);
      if (!option) return;
      option.selected = true;
      render();
      status.textContent = `${option.text} added`;
      // Empty the box for the next one once the autocomplete has finished with this one.
      window.setTimeout(() => {
        if (input) input.value = "";
      }, 0);
    },
  });
  input = container.querySelector("input");
  render();
}

export function initChoosers(root = document) {
  for (const input of root.querySelectorAll('[data-module="app-organisation-search"]')) {
    enhanceOrganisationSearch(input);
  }
  for (const select of root.querySelectorAll('[data-module="app-choose-several"]')) {
    enhanceChooseSeveral(select);
  }
}
