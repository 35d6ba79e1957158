/* IKZ-Monitor map component (Streamlit component protocol v1, no build step).
 *
 * The geometry (TopoJSON, kreis_data/analyses/kartengeometrie.py) is fetched once from a URL
 * that names its content, so the browser caches it; every rerun sends only the values per
 * Verwaltung, the colours and the selection. Verwaltung borders and the selection outline are
 * derived from the shared arcs. Text from the data goes into the DOM as text, never as HTML.
 */
(function () {
  "use strict";

  const zustand = {
    karte: null, kacheln: null, kachelUrl: null, geometrieUrl: null, topo: null,
    gemeinden: [], frei: [], grenzen: null, auswahlLinie: null, arcs: null, nutzer: null,
    args: null, klicks: 0, ladend: null, box: null, bewegt: false, einpassend: false,
    beschriftungen: null,
  };

  function senden(type, daten) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, daten), "*");
  }

  function meldung(text) {
    const p = document.getElementById("meldung");
    p.textContent = text;
    p.hidden = !text;
  }

  // --- TopoJSON ---------------------------------------------------------------------------------
  function dekodiereArcs(topo) {
    const [sx, sy] = topo.transform.scale;
    const [tx, ty] = topo.transform.translate;
    return topo.arcs.map(function (arc) {
      let x = 0, y = 0;
      return arc.map(function (p) {
        x += p[0]; y += p[1];
        return [y * sy + ty, x * sx + tx];  // Leaflet: [lat, lng]
      });
    });
  }

  function ring(refs, arcs) {
    const punkte = [];
    refs.forEach(function (r, i) {
      const teil = r >= 0 ? arcs[r] : arcs[~r].slice().reverse();
      punkte.push.apply(punkte, i === 0 ? teil : teil.slice(1));
    });
    return punkte;
  }

  function polygone(geometrie, arcs) {
    return geometrie.arcs.map(function (ringe) {
      return ringe.map(function (refs) { return ring(refs, arcs); });
    });
  }

  function arcIndex(r) { return r >= 0 ? r : ~r; }

  // arc -> the Verwaltung keys of the Gemeinden using it ("" for a gemeindefreies Gebiet)
  function arcNutzer(topo) {
    const nutzer = topo.arcs.map(function () { return []; });
    function eintragen(geometrie, schluessel) {
      geometrie.arcs.forEach(function (ringe) {
        ringe.forEach(function (refs) {
          refs.forEach(function (r) { nutzer[arcIndex(r)].push(schluessel); });
        });
      });
    }
    topo.objects.gemeinden.geometries.forEach(function (g) { eintragen(g, g.properties.v); });
    topo.objects.gemeindefrei.geometries.forEach(function (g) { eintragen(g, ""); });
    return nutzer;
  }

  function istVerwaltungsgrenze(liste) {
    const verwaltungen = liste.filter(function (k) { return k !== ""; });
    if (!verwaltungen.length) return false;
    return liste.length === 1 || new Set(liste).size > 1;
  }

  function umriss(schluessel) {  // arcs used once by the Verwaltung: its outline
    const linien = [];
    zustand.nutzer.forEach(function (liste, i) {
      if (liste.filter(function (k) { return k === schluessel; }).length === 1) {
        linien.push(zustand.arcs[i]);
      }
    });
    return linien;
  }

  // --- Drawing ---------------------------------------------------------------------------------
  function tooltipElement(zeilen) {
    const div = document.createElement("div");
    zeilen.forEach(function (zeile) {
      const b = document.createElement("b");
      b.textContent = zeile[0] + ": ";
      div.appendChild(b);
      div.appendChild(document.createTextNode(zeile[1]));
      div.appendChild(document.createElement("br"));
    });
    return div;
  }

  function tooltipZeilen(gemeinde) {
    const args = zustand.args;
    const wert = (args.werte || {})[gemeinde.properties.v];
    return [[args.gemeinde_label, gemeinde.properties.name]].concat(wert ? wert.t : []);
  }

  function fuellung(gemeinde) {
    const args = zustand.args;
    const wert = (args.werte || {})[gemeinde.properties.v];
    const klasse = wert ? wert.k : null;
    return klasse === null || klasse === undefined
      ? "url(#" + args.keine_angabe.muster + ")" : args.farben[klasse];
  }

  function musterEinfuegen(keineAngabe) {
    if (document.getElementById(keineAngabe.muster)) return;
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0"); svg.setAttribute("height", "0");
    svg.setAttribute("aria-hidden", "true");
    svg.style.position = "absolute";
    const defs = document.createElementNS(ns, "defs");
    const muster = document.createElementNS(ns, "pattern");
    muster.setAttribute("id", keineAngabe.muster);
    muster.setAttribute("patternUnits", "userSpaceOnUse");
    muster.setAttribute("width", "8"); muster.setAttribute("height", "8");
    muster.setAttribute("patternTransform", "rotate(45)");
    [["8", keineAngabe.farbe], ["3", "#ffffff"]].forEach(function (teil) {
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("width", teil[0]); rect.setAttribute("height", "8");
      rect.setAttribute("fill", teil[1]);
      muster.appendChild(rect);
    });
    defs.appendChild(muster); svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  function klick(gemeinde) {
    if (!zustand.args.klickbar) return;
    zustand.klicks += 1;
    auswahlZeichnen(gemeinde.properties.v);  // immediate feedback; the rerun confirms it
    senden("streamlit:setComponentValue", {
      value: { verwaltung: gemeinde.properties.v, ags: gemeinde.id, n: zustand.klicks },
      dataType: "json",
    });
  }

  function geometrieZeichnen(topo) {
    const args = zustand.args;
    const karte = zustand.karte;
    zustand.gemeinden.concat(zustand.frei).forEach(function (e) { karte.removeLayer(e.layer); });
    if (zustand.grenzen) karte.removeLayer(zustand.grenzen);
    zustand.topo = topo;
    zustand.arcs = dekodiereArcs(topo);
    zustand.nutzer = arcNutzer(topo);
    zustand.frei = topo.objects.gemeindefrei.geometries.map(function (g) {
      const layer = L.polygon(polygone(g, zustand.arcs), Object.assign(
        { className: "ikz-gemeindefrei ikz-ags-" + g.id }, args.stil.gemeindefrei)).addTo(karte);
      layer.bindTooltip(function () {
        return tooltipElement([[g.properties.name, args.gemeindefrei_text]]);
      }, { sticky: true, className: "ikz-tooltip" });
      return { geometrie: g, layer: layer };
    });
    zustand.gemeinden = topo.objects.gemeinden.geometries.map(function (g) {
      const layer = L.polygon(polygone(g, zustand.arcs), Object.assign({
        className: "ikz-gemeinde ikz-ags-" + g.id + " ikz-verwaltung-" + g.properties.v,
        fillOpacity: args.stil.deckkraft,
      }, args.stil.gemeinde)).addTo(karte);
      layer.bindTooltip(function () { return tooltipElement(tooltipZeilen(g)); },
                        { sticky: true, className: "ikz-tooltip" });
      layer.on("click", function () { klick(g); });
      return { geometrie: g, layer: layer };
    });
    const grenzen = [];
    zustand.nutzer.forEach(function (liste, i) {
      if (istVerwaltungsgrenze(liste)) grenzen.push(zustand.arcs[i]);
    });
    zustand.grenzen = L.polyline(grenzen, Object.assign(
      { interactive: false, className: "ikz-verwaltungsgrenze" }, args.stil.grenze)).addTo(karte);
    const b = topo.bbox;  // [west, south, east, north]
    zustand.box = [[b[1], b[0]], [b[3], b[2]]];
    zustand.bewegt = false;
    if (zustand.beschriftungen) karte.removeLayer(zustand.beschriftungen);
    zustand.beschriftungen = null;
    einpassen();
  }

  // The Kreis fills the frame: fitted on drawing and again whenever the frame changes its size
  // (the iframe is often laid out narrower first), unless the user has panned or zoomed.
  function einpassen() {
    if (!zustand.box || !zustand.karte) return;
    zustand.einpassend = true;
    zustand.karte.invalidateSize({ animate: false });
    zustand.karte.fitBounds(zustand.box, { padding: [8, 8], animate: false });
    zustand.einpassend = false;
  }

  // --- Labels: the name of every Gemeinde at the centre of its largest part -------------------
  function flaechenMitte(ringe) {  // area-weighted centroid of an outer ring [[lat, lng], ...]
    const r = ringe[0];
    let a = 0, x = 0, y = 0;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const f = r[j][1] * r[i][0] - r[i][1] * r[j][0];
      a += f; x += (r[j][1] + r[i][1]) * f; y += (r[j][0] + r[i][0]) * f;
    }
    if (!a) return { flaeche: 0, punkt: r[0] };
    return { flaeche: Math.abs(a / 2), punkt: [y / (3 * a), x / (3 * a)] };
  }

  function beschriftungZeichnen() {
    const an = !!zustand.args.beschriftung;
    if (!an && zustand.beschriftungen) {
      zustand.karte.removeLayer(zustand.beschriftungen);
      zustand.beschriftungen = null;
    }
    if (!an || zustand.beschriftungen) return;
    const marker = zustand.gemeinden.map(function (e) {
      const teile = polygone(e.geometrie, zustand.arcs).map(flaechenMitte);
      const groesste = teile.reduce(function (m, t) { return t.flaeche > m.flaeche ? t : m; });
      const span = document.createElement("span");
      span.textContent = e.geometrie.properties.name;  // text, never HTML
      span.dataset.flaeche = groesste.flaeche;
      return L.marker(groesste.punkt, {
        icon: L.divIcon({ className: "ikz-beschriftung", html: span, iconSize: null }),
        interactive: false, keyboard: false,
      });
    });
    zustand.beschriftungen = L.layerGroup(marker).addTo(zustand.karte);
    beschriftungOrdnen();
  }

  // Labels must not cover each other: larger Gemeinden first; a label that would overlap one
  // already placed moves up, down, left or right, then gets smaller; only if nothing fits it
  // stays hidden (the name is still in the Gemeinde's tooltip).
  const VERSATZ = [[0, 0], [0, -0.6], [0, 0.6], [-0.4, 0], [0.4, 0], [0.4, -0.6], [-0.4, 0.6],
                   [-0.4, -0.6], [0.4, 0.6]];
  const GROESSEN = ["15px", "13px"];

  function ueberlappt(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function beschriftungOrdnen() {
    if (!zustand.beschriftungen) return;
    const spans = Array.prototype.slice.call(document.querySelectorAll(".ikz-beschriftung span"));
    spans.sort(function (a, b) { return b.dataset.flaeche - a.dataset.flaeche; });
    const platziert = [];
    spans.forEach(function (span) {
      span.style.visibility = "";
      span.classList.remove("ikz-verdeckt");
      for (const groesse of GROESSEN) {
        span.style.fontSize = groesse;
        for (const v of VERSATZ) {
          const breite = span.offsetWidth, hoehe = span.offsetHeight;
          span.style.transform = "translate(calc(-50% + " + v[0] * breite + "px), calc(-50% + " +
                                 v[1] * hoehe + "px))";
          const r = span.getBoundingClientRect();
          if (!platziert.some(function (p) { return ueberlappt(r, p); })) {
            platziert.push(r);
            return;
          }
        }
      }
      span.style.visibility = "hidden";
      span.classList.add("ikz-verdeckt");
    });
  }

  function werteAnwenden() {
    zustand.gemeinden.forEach(function (e) {
      e.layer.setStyle({ fillColor: fuellung(e.geometrie) });
    });
  }

  function auswahlZeichnen(schluessel) {
    if (zustand.auswahlLinie) zustand.karte.removeLayer(zustand.auswahlLinie);
    zustand.auswahlLinie = null;
    if (!schluessel || !zustand.nutzer) return;
    zustand.auswahlLinie = L.polyline(umriss(schluessel), Object.assign({
      interactive: false, className: "ikz-auswahl ikz-auswahl-" + schluessel,
    }, zustand.args.stil.auswahl)).addTo(zustand.karte);
  }

  function hintergrund(args) {
    const h = args.hintergrund;
    const url = h ? h.url : null;
    if (url === zustand.kachelUrl) return;
    if (zustand.kacheln) zustand.karte.removeLayer(zustand.kacheln);
    zustand.kacheln = url ? L.tileLayer(url, {
      attribution: h.attribution, maxZoom: h.max_zoom,
    }).addTo(zustand.karte) : null;
    if (zustand.kacheln) zustand.kacheln.bringToBack();
    zustand.kachelUrl = url;
  }

  function karteAnlegen(args) {
    const karte = L.map("karte", {
      zoomSnap: 0, zoomDelta: 0.5, scrollWheelZoom: !args.kompakt, preferCanvas: false,
      attributionControl: true,
    });
    karte.attributionControl.setPrefix(false);
    if (!args.kompakt) L.control.scale({ imperial: false }).addTo(karte);
    karte.setView([51.2, 10.4], 6);
    karte.on("zoomstart dragstart", function () {
      if (!zustand.einpassend) zustand.bewegt = true;
    });
    karte.on("zoomend", beschriftungOrdnen);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (!zustand.bewegt) einpassen();
        else karte.invalidateSize({ animate: false });
      }).observe(document.getElementById("karte"));
    }
    zustand.karte = karte;
    window.ikzKarte = karte;  // for the browser tests (pan/zoom without rerun)
  }

  // The geometry is kept in localStorage under its URL (which names its content): a later page
  // visit or session in this browser draws at once, without a request. Only the newest is kept.
  const SPEICHER = "ikz-karte:";

  function geometrieLaden(url) {
    try {
      const text = window.localStorage.getItem(SPEICHER + url);
      if (text) return Promise.resolve(JSON.parse(text));
    } catch (e) { /* no storage (private mode, quota): load from the server */ }
    return fetch(url, { credentials: "same-origin" })
      .then(function (antwort) {
        if (!antwort.ok) throw new Error("HTTP " + antwort.status);
        return antwort.text();
      })
      .then(function (text) {
        try {
          Object.keys(window.localStorage).forEach(function (k) {
            if (k.indexOf(SPEICHER) === 0) window.localStorage.removeItem(k);
          });
          window.localStorage.setItem(SPEICHER + url, text);
        } catch (e) { /* not stored: loaded again next time */ }
        return JSON.parse(text);
      });
  }

  function fertig() {
    document.body.dataset.ikzBereit = zustand.geometrieUrl || "";
  }

  function zeichnen() {
    const args = zustand.args;
    werteAnwenden();
    auswahlZeichnen(args.auswahl);
    beschriftungZeichnen();
    fertig();
  }

  function render(args) {
    zustand.args = args;
    document.getElementById("karte").style.height = args.hoehe + "px";
    senden("streamlit:setFrameHeight", { height: args.hoehe });
    if (typeof L === "undefined") {
      meldung("Die Karte konnte nicht geladen werden: Leaflet fehlt (statische Dateien des " +
              "Servers nicht erreichbar, server.enableStaticServing).");
      return;
    }
    if (!zustand.karte) karteAnlegen(args);
    musterEinfuegen(args.keine_angabe);
    hintergrund(args);
    if (args.geometrie === zustand.geometrieUrl && zustand.topo) {
      zeichnen();
      return;
    }
    if (args.geometrie === zustand.ladend) return;  // the fetch in flight draws when done
    zustand.ladend = args.geometrie;
    delete document.body.dataset.ikzBereit;
    geometrieLaden(args.geometrie)
      .then(function (topo) {
        if (zustand.ladend !== args.geometrie) return;
        zustand.geometrieUrl = args.geometrie;
        zustand.ladend = null;
        geometrieZeichnen(topo);
        meldung("");
        zeichnen();
      })
      .catch(function (fehler) {
        zustand.ladend = null;
        meldung("Die Kartengeometrie konnte nicht geladen werden (" + fehler.message + "). " +
                "Die Tabelle unter der Karte zeigt dieselben Werte.");
      });
  }

  window.addEventListener("message", function (ereignis) {
    const daten = ereignis.data;
    if (daten && daten.type === "streamlit:render") render(daten.args);
  });
  senden("streamlit:componentReady", { apiVersion: 1 });
})();
