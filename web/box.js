/*
 * Pledger's reader box (docs/box.md). A publisher pastes:
 *   <div data-pledger-box data-campaign="winter"></div>
 *   <script src="https://pledger.example.org/box.js" data-key="pk_…" async></script>
 * One file, no framework, no build step. It renders into every [data-pledger-box] element,
 * inside a Shadow DOM so that the page's CSS cannot reach it, and talks only to the origin it
 * was loaded from: no cookies, no storage, no third-party requests.
 */
(function () {
  'use strict';

  // document.currentScript is set while a classic script runs, async included; the search by
  // src covers the odd loader that runs it otherwise.
  var script = document.currentScript;
  if (!script || !/\/box\.js(\?|#|$)/.test(script.src || '')) {
    var candidates = document.querySelectorAll('script[src]');
    for (var i = candidates.length - 1; i >= 0; i--) {
      if (/\/box\.js(\?|#|$)/.test(candidates[i].src)) { script = candidates[i]; break; }
    }
  }
  if (!script || !window.fetch || !document.documentElement.attachShadow) return;

  var ORIGIN = new URL(script.src, location.href).origin;
  var KEY = script.getAttribute('data-key') || '';
  // In /box/frame the box is a page of its own: Continue leaves the frame for the top window.
  var IN_FRAME = script.getAttribute('data-frame') === 'true';
  var PAGE_LANG = (document.documentElement.lang || 'en').trim() || 'en';
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
  var CADENCE_COPY = { one_off: 'once', monthly: 'monthly', annual: 'annual' };
  var SUFFIX_COPY = { monthly: 'per_month', annual: 'per_year' };

  // Only what is needed before (or without) the server's copy: the error shown when the
  // configuration cannot be loaded at all (a foreign origin, a revoked key, the network), and
  // the names of the amount group and the currency select, which have no key of their own.
  var FALLBACK = {
    en: { error: 'Something went wrong. Please try again.', amount_label: 'Amount', currency_label: 'Currency' },
    ru: { error: 'Что-то пошло не так. Попробуйте ещё раз.', amount_label: 'Сумма', currency_label: 'Валюта' }
  };
  function fallback(lang) { return FALLBACK[String(lang).slice(0, 2).toLowerCase()] || FALLBACK.en; }

  // Colours chosen for contrast on white (all at least 4.5:1, most above 7:1): text #1a1a1a,
  // muted #4a4a4a, accent #0a5a9c (white text on it too), error #a4001d, success #1d6b2f.
  var CSS = [
    ':host{all:initial;display:block;contain:content}',
    '*,*::before,*::after{box-sizing:border-box}',
    '.box{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;',
    'border:1px solid #c9c9c9;border-top:4px solid #0a5a9c;border-radius:8px;padding:1.25rem;max-width:28rem;',
    'width:100%;min-width:0;overflow-wrap:anywhere}',
    'h2{font-size:1.3rem;line-height:1.25;margin:0 0 .4rem}',
    'p{margin:0 0 .75rem}',
    '.lead{color:#4a4a4a}',
    '.tabs{display:flex;border:1px solid #0a5a9c;border-radius:6px;overflow:hidden;margin:0 0 .9rem}',
    '.tab{flex:1 1 0;min-width:0;font:inherit;font-weight:600;padding:.55rem .25rem;border:0;background:#fff;',
    'color:#0a5a9c;cursor:pointer}',
    '.tab+.tab{border-left:1px solid #0a5a9c}',
    '.tab[aria-selected=true]{background:#0a5a9c;color:#fff}',
    '.from{font-weight:600}',
    'fieldset{border:0;margin:0 0 .75rem;padding:0;min-width:0}',
    'legend,.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;',
    'clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '.amounts{display:grid;grid-template-columns:repeat(auto-fit,minmax(5.5rem,1fr));gap:.5rem}',
    '.amount{position:relative;display:flex}',
    '.amount input{position:absolute;opacity:0;width:1px;height:1px;margin:0}',
    '.amount span{display:block;flex:1 1 auto;text-align:center;padding:.6rem .25rem;border:1px solid #767676;border-radius:6px;',
    'cursor:pointer;font-weight:600}',
    '.amount small{display:block;font-weight:400;font-size:.85rem;color:#4a4a4a}',
    '.amount input:checked+span{border:2px solid #0a5a9c;background:#e8f1fa;padding:calc(.6rem - 1px) .25rem}',
    '.amount input:focus-visible+span{outline:3px solid #0a5a9c;outline-offset:2px}',
    'label.field{display:block;font-weight:600;margin:0 0 .25rem}',
    '.row{margin:0 0 .75rem}',
    '.pair{display:flex;gap:.5rem}',
    '.pair input{flex:1 1 auto}',
    'input[type=text],input[type=email],select{font:inherit;color:#1a1a1a;background:#fff;width:100%;min-width:0;',
    'padding:.5rem .6rem;border:1px solid #767676;border-radius:6px}',
    'select{width:auto;flex:0 0 auto}',
    '[aria-invalid=true]{border:2px solid #a4001d}',
    '.methods{color:#4a4a4a;font-size:.9rem}',
    '.methods ul{display:inline;list-style:none;margin:0;padding:0}',
    '.methods li{display:inline-block;border:1px solid #c9c9c9;border-radius:4px;padding:0 .4rem;margin:.15rem .25rem 0 0;',
    'color:#1a1a1a}',
    'button{font:inherit}',
    '.continue,.submit{display:block;width:100%;padding:.7rem 1rem;border:0;border-radius:6px;background:#0a5a9c;',
    'color:#fff;font-weight:700;cursor:pointer}',
    '.submit{margin-top:.5rem}',
    '.continue:hover,.submit:hover{background:#084a80}',
    '.continue[disabled],.submit[disabled]{cursor:progress;background:#4a4a4a}',
    '.link{border:0;background:none;padding:0;color:#0a5a9c;text-decoration:underline;cursor:pointer;font-weight:600}',
    '.remind{margin:1rem 0 0;color:#4a4a4a}',
    ':focus-visible{outline:3px solid #0a5a9c;outline-offset:2px}',
    '.continue:focus-visible,.submit:focus-visible,.tab:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}',
    '.error{color:#a4001d;font-weight:600;margin:.3rem 0 0}',
    '.error:empty,.done:empty{display:none}',
    '.done{color:#1d6b2f;font-weight:600;margin:.5rem 0 0}',
    '.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}',
    '[hidden]{display:none!important}',
    // Long cadence names ("Ежемесячно") still fit three across on a 320 px phone.
    '@media (max-width:400px){.box{padding:1rem}.tab{font-size:.875rem;padding:.55rem .15rem}}'
  ].join('');

  /** Builds an element: attributes, then children (strings become text nodes, never HTML). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === 'text') node.textContent = value;
      else if (name.slice(0, 2) === 'on') node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fill(text, minimum) { return String(text || '').split('{minimum}').join(minimum); }

  /** POSTs JSON to the Pledger origin; answers {status, body} or throws on a network/CORS failure. */
  function post(path, body, keepalive) {
    return fetch(ORIGIN + path, {
      method: 'POST', credentials: 'omit', mode: 'cors', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { status: response.status, body: parsed };
      });
    });
  }

  /** The funnel beacon: no ids, fire and forget; keepalive lets it outlive a navigation. */
  function beacon(kind, campaign) {
    var body = { key: KEY, kind: kind, page_url: pageURL() };
    if (campaign) body.campaign = campaign;
    post('/v1/public/events', body, true).catch(function () { /* a lost count is not the reader's problem */ });
  }

  // In the frame, location is Pledger's own page: the article is the frame's referrer.
  function pageURL() { return IN_FRAME ? (document.referrer || location.href) : location.href; }

  /** A box over one configuration, rendered into one host element. */
  function Box(host, config) {
    this.host = host;
    this.config = config;
    this.copy = config.copy || {};
    this.campaign = host.getAttribute('data-campaign') || '';
    this.lang = PAGE_LANG;
    try { new Intl.NumberFormat(this.lang); } catch (e) { this.lang = config.lang || 'en'; }
    this.cadences = (config.cadences || []).filter(function (c) { return CADENCE_COPY[c]; });
    var wanted = host.getAttribute('data-cadence');
    if (wanted === 'once') wanted = 'one_off';
    this.cadence = this.cadences.indexOf(wanted) >= 0 ? wanted
      : this.cadences.indexOf(config.default_cadence) >= 0 ? config.default_cadence : this.cadences[0];
    this.currency = (config.currencies || [])[0];
    this.uid = 'pb' + Math.random().toString(36).slice(2, 8);
  }

  Box.prototype.t = function (key) {
    return this.copy[key] !== undefined ? this.copy[key] : fallback(this.config.lang || this.lang)[key] || '';
  };

  Box.prototype.digits = function () {
    var d = (this.config.minor_digits || {})[this.currency];
    return typeof d === 'number' ? d : 2;
  };

  /** Formats minor units for the page's language: "$5", "$2.50", "5 €", "5 ₽". */
  Box.prototype.money = function (minor) {
    var digits = this.digits();
    var scale = Math.pow(10, digits);
    var fraction = minor % scale === 0 ? 0 : digits;
    try {
      return new Intl.NumberFormat(this.lang, {
        style: 'currency', currency: this.currency, minimumFractionDigits: fraction, maximumFractionDigits: fraction
      }).format(minor / scale);
    } catch (e) {
      return (minor / scale).toFixed(fraction) + ' ' + this.currency;
    }
  };

  Box.prototype.minimum = function () { return (this.config.minimums || {})[this.currency] || 0; };

  /**
   * Reads the free amount in minor units: "7", "7.5", "7,50", "$7" (symbols and spaces are
   * dropped). Answers null when it is not an amount of this currency.
   */
  Box.prototype.parseAmount = function (text) {
    var cleaned = String(text).replace(/[\s\u00a0\u202f\p{Sc}]/gu, '');
    var match = /^(\d+)(?:[.,](\d*))?$/.exec(cleaned);
    if (!match) return null;
    var digits = this.digits();
    var fraction = match[2] || '';
    if (fraction.length > digits) return null;
    while (fraction.length < digits) fraction += '0';
    var minor = Number(match[1] + fraction);
    return Number.isSafeInteger(minor) ? minor : null;
  };

  Box.prototype.render = function () {
    var self = this;
    var root = this.host.shadowRoot || this.host.attachShadow({ mode: 'open' });
    while (root.firstChild) root.removeChild(root.firstChild);
    applyStyles(root);
    var id = function (name) { return self.uid + '-' + name; };

    this.tabs = this.cadences.map(function (cadence) {
      return el('button', {
        type: 'button', role: 'tab', class: 'tab', id: id('tab-' + cadence), 'aria-controls': id('panel'),
        'data-cadence': cadence, text: self.t(CADENCE_COPY[cadence]),
        onclick: function () { self.selectCadence(cadence, false); },
        onkeydown: function (event) { self.tabKey(event); }
      });
    });
    this.fromLine = el('p', { class: 'from', id: id('from') });
    this.amountList = el('div', { class: 'amounts' });
    this.currencySelect = null;
    var currencies = this.config.currencies || [];
    if (currencies.length > 1) {
      this.currencySelect = el('select', {
        id: id('currency'), 'aria-label': this.t('currency_label'),
        onchange: function () { self.currency = self.currencySelect.value; self.renderAmounts(true); }
      }, currencies.map(function (code) { return el('option', { value: code, text: code }); }));
    }
    this.other = el('input', {
      type: 'text', id: id('other'), name: 'other', inputmode: 'decimal', autocomplete: 'off',
      'aria-describedby': id('other-error') + ' ' + id('from'),
      oninput: function () { self.otherTyped(); },
      onblur: function () { if (self.other.value.trim()) self.checkOther(); }
    });
    this.otherError = el('p', { class: 'error', id: id('other-error'), 'aria-live': 'polite' });
    this.email = el('input', {
      type: 'email', id: id('email'), name: 'email', autocomplete: 'email', spellcheck: 'false',
      'aria-describedby': id('email-error')
    });
    this.emailError = el('p', { class: 'error', id: id('email-error'), 'aria-live': 'polite' });
    this.honeypot = el('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
    this.continueButton = el('button', { type: 'submit', class: 'continue', text: this.t('continue') });
    this.status = el('p', { class: 'error', role: 'alert', id: id('status') });

    var methods = (this.config.methods || []).map(function (m) { return el('li', { text: m.label }); });
    var form = el('form', {
      novalidate: true, 'aria-labelledby': id('title'),
      onsubmit: function (event) { event.preventDefault(); self.submit(); }
    }, [
      this.fromLine,
      el('fieldset', { role: 'radiogroup' }, [el('legend', { text: this.t('amount_label') }), this.amountList]),
      el('div', { class: 'row' }, [
        el('label', { class: 'field', for: id('other'), text: this.t('other_amount') }),
        el('div', { class: 'pair' }, [this.other, this.currencySelect]),
        this.otherError
      ]),
      methods.length ? el('p', { class: 'methods' }, [
        el('span', { text: this.t('methods_label') + ' ' }), el('ul', {}, methods)
      ]) : null,
      el('div', { class: 'row' }, [
        el('label', { class: 'field', for: id('email'), text: this.t('email_optional') }), this.email, this.emailError
      ]),
      el('div', { class: 'hp', 'aria-hidden': 'true' }, [el('label', {}, ['Website ', this.honeypot])]),
      this.continueButton,
      this.status
    ]);
    // With one cadence there are no tabs, and so no tab panel either.
    this.panel = el('div', { role: this.cadences.length > 1 ? 'tabpanel' : null, id: id('panel') }, [form]);

    this.remindEmail = el('input', {
      type: 'email', id: id('remind-email'), name: 'email', autocomplete: 'email', spellcheck: 'false',
      'aria-describedby': id('remind-error')
    });
    this.remindError = el('p', { class: 'error', id: id('remind-error'), 'aria-live': 'polite' });
    this.remindDone = el('p', { class: 'done', role: 'status' });
    this.remindSubmit = el('button', { type: 'submit', class: 'submit', text: this.t('remind_submit') });
    this.remindForm = el('form', {
      novalidate: true, hidden: true, id: id('remind'),
      onsubmit: function (event) { event.preventDefault(); self.remind(); }
    }, [
      el('label', { class: 'field', for: id('remind-email'), text: this.t('remind_email') }),
      this.remindEmail, this.remindError, this.remindSubmit
    ]);
    this.remindLink = el('button', {
      type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': id('remind'),
      text: this.t('remind_link'), onclick: function () { self.openRemind(); }
    });

    root.appendChild(el('section', { class: 'box', 'aria-labelledby': id('title'), lang: this.config.lang }, [
      el('h2', { id: id('title'), text: this.t('title') }),
      this.t('lead') ? el('p', { class: 'lead', text: this.t('lead') }) : null,
      this.cadences.length > 1
        ? el('div', { role: 'tablist', class: 'tabs', 'aria-label': this.t('cadence_label') }, this.tabs)
        : null,
      this.panel,
      el('p', { class: 'remind' }, [this.t('remind_prompt') + ' ', this.remindLink]),
      this.remindForm,
      this.remindDone
    ]));
    this.selectCadence(this.cadence, false);
    // Back from the checkout, the browser may restore this page as it was left: busy.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) return;
      self.busy(self.continueButton, false);
      self.busy(self.remindSubmit, false);
    });
  };

  /** Shadow styles: a constructed sheet where possible (untouched by the page's CSP), else <style>. */
  function applyStyles(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el('style', { text: CSS }));
    }
  }

  /** ARIA tabs: arrows move and select (selection follows focus), Home and End jump. */
  Box.prototype.tabKey = function (event) {
    var index = this.cadences.indexOf(this.cadence);
    var last = this.cadences.length - 1;
    var next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1,
      Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    if (next < 0) next = last;
    if (next > last) next = 0;
    this.selectCadence(this.cadences[next], true);
  };

  Box.prototype.selectCadence = function (cadence, focus) {
    var self = this;
    this.cadence = cadence;
    this.tabs.forEach(function (tab) {
      var selected = tab.getAttribute('data-cadence') === cadence;
      tab.setAttribute('aria-selected', selected ? 'true' : 'false');
      tab.tabIndex = selected ? 0 : -1;
      if (selected && self.tabs.length > 1) {
        self.panel.setAttribute('aria-labelledby', tab.id);
        if (focus) tab.focus();
      }
    });
    this.renderAmounts(false);
  };

  /** The preset amounts of the chosen cadence and currency, as one native radio group. */
  Box.prototype.renderAmounts = function (currencyChanged) {
    var self = this;
    var presets = ((this.config.presets || {})[this.cadence] || {})[this.currency] || [];
    var previous = this.checkedAmount();
    while (this.amountList.firstChild) this.amountList.removeChild(this.amountList.firstChild);
    var suffix = this.t(SUFFIX_COPY[this.cadence]);
    // Keep the reader's own amount; otherwise keep the same position in the new row (the middle
    // one at first: the usual suggestion).
    var keepIndex = previous ? previous.index : Math.floor((presets.length - 1) / 2);
    if (this.other && this.other.value.trim()) keepIndex = -1;
    this.radios = presets.map(function (amount, index) {
      var radio = el('input', {
        type: 'radio', name: self.uid + '-amount', value: String(amount), 'data-index': String(index),
        onchange: function () { self.presetChosen(); }
      });
      radio.checked = index === Math.min(keepIndex, presets.length - 1);
      self.amountList.appendChild(el('label', { class: 'amount' }, [
        radio,
        el('span', {}, [self.money(amount), suffix ? el('small', { text: suffix }) : null])
      ]));
      return radio;
    });
    this.fromLine.textContent = fill(this.t('from_minimum'), this.money(this.minimum()));
    if (currencyChanged && this.other.value.trim()) this.checkOther();
  };

  Box.prototype.checkedAmount = function () {
    var radios = this.radios || [];
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) return { index: i, amount: Number(radios[i].value) };
    }
    return null;
  };

  Box.prototype.presetChosen = function () {
    this.other.value = '';
    this.setError(this.other, this.otherError, '');
  };

  Box.prototype.otherTyped = function () {
    if (this.other.value.trim()) this.radios.forEach(function (r) { r.checked = false; });
    // Clear a shown refusal as soon as the amount becomes acceptable, not while typing.
    if (this.other.getAttribute('aria-invalid') === 'true') this.checkOther();
  };

  /** Checks the free amount against the currency's minimum; answers minor units or null. */
  Box.prototype.checkOther = function () {
    var minor = this.parseAmount(this.other.value);
    if (minor === null || minor < this.minimum()) {
      this.setError(this.other, this.otherError, fill(this.t('below_minimum'), this.money(this.minimum())));
      return null;
    }
    this.setError(this.other, this.otherError, '');
    return minor;
  };

  Box.prototype.setError = function (field, holder, message) {
    holder.textContent = message;
    if (field) field.setAttribute('aria-invalid', message ? 'true' : 'false');
  };

  Box.prototype.clearErrors = function () {
    this.setError(this.email, this.emailError, '');
    this.setError(null, this.status, '');
  };

  /** Shows a failed answer: 429 as rate_limited; else the server's message at its field. */
  Box.prototype.showFailure = function (result, fields, fallbackHolder) {
    if (result && result.status === 429) {
      this.setError(null, fallbackHolder, this.t('rate_limited'));
      return;
    }
    var error = result && result.body && result.body.error;
    var place = error && error.field && fields[error.field];
    // The minimum has its own copy in the page's language; other refusals keep the server's words.
    var message = error && error.code === 'below_minimum'
      ? fill(this.t('below_minimum'), this.money(this.minimum())) : error && error.message;
    if (place && message) {
      this.setError(place[0], place[1], message);
      place[0].focus();
    } else {
      this.setError(null, fallbackHolder, (error && error.message) || this.t('error'));
    }
  };

  Box.prototype.submit = function () {
    var self = this;
    this.clearErrors();
    var chosen = this.checkedAmount();
    var amount = chosen ? chosen.amount : this.checkOther();
    if (amount === null) { this.other.focus(); return; }
    var email = this.email.value.trim();
    if (email && !EMAIL.test(email)) {
      this.setError(this.email, this.emailError, this.t('invalid_email'));
      this.email.focus();
      return;
    }
    var body = {
      key: KEY, cadence: this.cadence, amount: amount, currency: this.currency,
      page_url: pageURL(), website: this.honeypot.value
    };
    if (email) body.email = email;
    if (!IN_FRAME && document.referrer) body.referrer = document.referrer;
    if (this.campaign) body.campaign = this.campaign;
    beacon('continued', this.campaign);
    this.busy(this.continueButton, true);
    var fields = {
      amount: [this.other, this.otherError], email: [this.email, this.emailError],
      currency: [this.currencySelect || this.other, this.otherError]
    };
    post('/v1/public/checkout', body).then(function (result) {
      if (result.status === 201 && result.body && result.body.checkout_url) {
        go(result.body.checkout_url);
        return;
      }
      self.busy(self.continueButton, false);
      self.showFailure(result, fields, self.status);
    }, function () {
      self.busy(self.continueButton, false);
      self.setError(null, self.status, self.t('error'));
    });
  };

  /** Leaves for the processor's checkout: from a frame, the whole tab goes, not just the frame. */
  function go(url) {
    if (IN_FRAME) {
      try { window.top.location.href = url; return; } catch (e) { /* a sandbox without top navigation */ }
    }
    location.href = url;
  }

  Box.prototype.busy = function (button, on) {
    button.disabled = on;
    if (on) button.setAttribute('aria-busy', 'true'); else button.removeAttribute('aria-busy');
  };

  Box.prototype.openRemind = function () {
    var open = this.remindForm.hidden;
    this.remindForm.hidden = !open;
    this.remindLink.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) this.remindEmail.focus();
  };

  Box.prototype.remind = function () {
    var self = this;
    this.setError(this.remindEmail, this.remindError, '');
    this.remindDone.textContent = '';
    var email = this.remindEmail.value.trim();
    if (!EMAIL.test(email)) {
      this.setError(this.remindEmail, this.remindError, this.t('invalid_email'));
      this.remindEmail.focus();
      return;
    }
    var body = { key: KEY, email: email, page_url: pageURL(), website: this.honeypot.value };
    if (this.campaign) body.campaign = this.campaign;
    if (!IN_FRAME && document.referrer) body.referrer = document.referrer;
    this.busy(this.remindSubmit, true);
    post('/v1/public/reminders', body).then(function (result) {
      self.busy(self.remindSubmit, false);
      if (result.status >= 200 && result.status < 300) {
        self.remindForm.hidden = true;
        self.remindLink.setAttribute('aria-expanded', 'false');
        self.remindDone.textContent = self.t('remind_done');
        return;
      }
      self.showFailure(result, { email: [self.remindEmail, self.remindError] }, self.remindError);
    }, function () {
      self.busy(self.remindSubmit, false);
      self.setError(null, self.remindError, self.t('error'));
    });
  };

  /** Counts the box as shown once, when it first scrolls into view (or at once without IO). */
  function watchShown(host, campaign) {
    if (!('IntersectionObserver' in window)) { beacon('shown', campaign); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        observer.disconnect();
        beacon('shown', campaign);
      }
    });
    observer.observe(host);
  }

  /** Without a configuration only one line is shown: the error, in the page's language. */
  function renderFailure(host) {
    var root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    while (root.firstChild) root.removeChild(root.firstChild);
    applyStyles(root);
    root.appendChild(el('div', { class: 'box' }, [
      el('p', { class: 'error', role: 'alert', text: fallback(PAGE_LANG).error })
    ]));
  }

  var config = null;
  var failed = false;
  var rendered = typeof WeakSet === 'function' ? new WeakSet() : null;

  function renderAll() {
    var hosts = document.querySelectorAll('[data-pledger-box]');
    for (var i = 0; i < hosts.length; i++) {
      var host = hosts[i];
      if (rendered.has(host)) continue;
      rendered.add(host);
      if (failed) { renderFailure(host); continue; }
      new Box(host, config).render();
      watchShown(host, host.getAttribute('data-campaign') || '');
    }
  }

  if (!rendered) return;
  var url = ORIGIN + '/v1/public/box?key=' + encodeURIComponent(KEY) + '&lang=' + encodeURIComponent(PAGE_LANG);
  fetch(url, { credentials: 'omit', mode: 'cors' }).then(function (response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error((body && body.error && body.error.message) || ('HTTP ' + response.status));
      return body;
    });
  }).then(function (body) {
    config = body;
  }, function (error) {
    failed = true;
    // For the publisher's developer: why the box is not there (a foreign origin shows as a CORS error).
    if (window.console) console.warn('Pledger box: the configuration could not be loaded: ' + error.message);
  }).then(function () {
    renderAll();
    // Boxes further down a page that is still loading are rendered when it is parsed.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderAll);
  });
})();
