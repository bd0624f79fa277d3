// Fit finder: reads the site's own fit/data.json and the page's query string; no framework, no other request.
// The rules mirror site_builder/fit.py; the method section of the page states them.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("fit-form");
  var results = document.getElementById("fit-results");
  if (!script || !form || !results) return;
  var fields = ["vram", "gpus", "ram", "ctx", "kv"];
  var words = {
    fits: "Fits in VRAM",
    offload: "Runs with offload (slow)",
    no: "Does not fit",
    unknown: "Not enough data"
  };

  // The rule of the leaderboard's and hardware pages' `round(1) | number` (Python's round): the nearest tenth of the
  // exact value, an exact tie (x.25, x.75) to the even tenth; "24", never "24.0".
  function gb(value) {
    var tie = Number.isInteger(value * 4) && !Number.isInteger(value * 2);
    var tenths = tie ? 2 * Math.round(value * 5) / 10 : Number(value.toFixed(1));
    return String(tenths) + " GB";
  }

  function number(name, fallback) {
    var value = parseFloat(form.elements[name].value);
    return isFinite(value) && value >= 0 ? value : fallback;
  }

  function readSetup(data) {
    var kvName = form.elements.kv.value;
    var kv = data.kv_types.filter(function (type) { return type.name === kvName; })[0] || data.kv_types[0];
    return {
      vram: number("vram", data.defaults.vram),
      gpus: Math.max(1, Math.round(number("gpus", data.defaults.gpus))),
      ram: number("ram", data.defaults.ram),
      ctx: Math.max(1, Math.round(number("ctx", data.defaults.ctx))),
      kvBytes: kv.bytes
    };
  }

  function usableVram(setup, c) {
    var pooled = setup.vram * setup.gpus * (setup.gpus > 1 ? c.multi_gpu_share : 1);
    return Math.max(0, pooled - setup.gpus * c.per_gpu_reserve_gb);
  }

  function need(entry, setup, c) {
    if (entry.reported_gb !== null && !entry.flag) return { gb: entry.reported_gb, estimated: false };
    if (entry.weights_gb === null) return null;
    var kv = 0;
    if (entry.kv) {
      var values = entry.kv.full * setup.ctx + entry.kv.windowed * Math.min(setup.ctx, entry.kv.window);
      kv = values * setup.kvBytes / 1e9;
    }
    return { gb: entry.weights_gb + kv + c.compute_buffer_gb, estimated: true, kv: kv };
  }

  function verdict(entry, setup, c) {
    var needed = need(entry, setup, c);
    if (!needed) return "unknown";
    var vram = usableVram(setup, c);
    if (needed.gb <= vram) return "fits";
    if (needed.gb <= vram + Math.max(0, setup.ram - c.ram_reserve_gb)) return "offload";
    return "no";
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function link(text, href) {
    return href ? el("a", text, { href: href }) : el("span", text);
  }

  function memoryCell(entry, needed, setup) {
    var cell = el("td", "", { "class": "num" });
    if (needed && !needed.estimated) {
      cell.appendChild(document.createTextNode(entry.reported + " reported"));
    } else if (needed) {
      cell.appendChild(el("abbr", "est.", { title: "estimate" }));
      var how = entry.weights_basis + " + compute buffer";
      how += entry.kv ? ", KV cache at " + setup.ctx + " tokens" : "; KV cache not included";
      cell.appendChild(document.createTextNode(" ≈ " + gb(needed.gb) + " (" + how + ")"));
    } else {
      cell.appendChild(document.createTextNode("— (" + entry.no_estimate + ")"));
    }
    if (entry.flag) {
      cell.appendChild(el("br"));
      cell.appendChild(document.createTextNode("reported " + entry.reported + " "));
      var flag = link("⚠ implausible", entry.flag_url);
      flag.className = "fit-flag";
      flag.title = entry.flag;
      cell.appendChild(flag);
    }
    return cell;
  }

  function speedCell(entry, result) {
    if (result === "offload") {
      // A flagged figure means the source's own run offloaded too, so its speed is an offloaded speed.
      if (entry.flag && entry.speed) return el("td", entry.speed + " reported on " + entry.hardware + ", with offload");
      return el("td", "slow, not estimated");
    }
    if (result === "fits") {
      return el("td", entry.speed ? entry.speed + " reported on " + entry.hardware : "not reported");
    }
    return el("td", "—");
  }

  function render(data) {
    var setup = readSetup(data);
    var c = data.constants;
    var table = el("table", "", { "class": "fit-table" });
    var caption = el("caption");
    caption.appendChild(el("span", "Every model and format for " + setup.gpus + " × " + setup.vram + " GB VRAM, " +
      setup.ram + " GB RAM, " + setup.ctx + " tokens of context (usable VRAM ≈ " + gb(usableVram(setup, c)) + ")"));
    table.appendChild(caption);
    var head = el("tr");
    var headers = ["Model", "Format", "Verdict", "Memory needed", "Speed", "Source"];
    headers.forEach(function (name) {
      head.appendChild(el("th", name, { scope: "col" }));
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    data.entries.forEach(function (entry) {
      var result = verdict(entry, setup, c);
      var row = el("tr", "", { "data-model": entry.model, "data-format": entry.format, "data-verdict": result });
      var name = el("th", "", { scope: "row" });
      name.appendChild(link(entry.model, entry.url));
      if (entry.moe && entry.total) {
        name.appendChild(el("br"));
        name.appendChild(el("small", "MoE: " + entry.total + " total, " + (entry.active || "?") + " active"));
      }
      row.appendChild(name);
      var format = row.appendChild(el("td", entry.format));
      // The hardware the figures were reported on tells apart two rows of the same model and format.
      if (entry.hardware) {
        format.appendChild(el("br"));
        format.appendChild(el("small", "on " + entry.hardware, { "class": "fit-where" }));
      }
      var text = words[result];
      if (result === "offload") text += ": " + entry.offloaded;
      row.appendChild(el("td", text, { "class": "verdict verdict-" + result }));
      row.appendChild(memoryCell(entry, need(entry, setup, c), setup));
      row.appendChild(speedCell(entry, result));
      var source = el("td");
      source.appendChild(link(entry.source, entry.source_url));
      row.appendChild(source);
      // On a phone each row is a card: every value says which column it is (see the stylesheet).
      Array.prototype.forEach.call(row.querySelectorAll("td"), function (cell, index) {
        cell.setAttribute("data-label", headers[index + 1]);
      });
      body.appendChild(row);
    });
    var scroll = el("div", "", { "class": "table-scroll scroll-fit", role: "region", "aria-label": "Fit finder results", tabindex: "0" });
    scroll.appendChild(table);
    results.replaceChildren(scroll);
  }

  function fromUrl(data) {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var value = params.get(name);
      form.elements[name].value = value !== null ? value : String(data.defaults[name]);
    });
  }

  function toUrl() {
    var params = new URLSearchParams();
    fields.forEach(function (name) { params.set(name, form.elements[name].value); });
    window.history.replaceState(null, "", "?" + params.toString());
  }

  fetch(script.getAttribute("data-src"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var picker = document.getElementById("fit-device");
      fromUrl(data);
      picker.addEventListener("change", function () {
        var device = data.devices.filter(function (d) { return d.id === picker.value; })[0];
        if (!device) return;
        form.elements.vram.value = device.vram;
        form.elements.gpus.value = device.gpus;
        if (device.ram !== null) form.elements.ram.value = device.ram;
        toUrl();
        render(data);
      });
      form.addEventListener("input", function (event) {
        if (event.target === picker) return;
        toUrl();
        render(data);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        toUrl();
        render(data);
      });
      render(data);
      document.documentElement.classList.add("fit-ready");
    })
    .catch(function () {
      results.textContent = "The fit data could not be loaded; the tables below still show every tier.";
    });
})();
