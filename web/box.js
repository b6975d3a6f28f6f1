/*
 * Pledger's reader box (docs/box.md). A publisher pastes:
 *   <div data-pledger-box data-campaign="winter"></div>
 *   <script src="https://pledger.example.org/box.js" data-key="pk_…" async></script>
 * One file, no framework, no build step. It renders into every [data-pledger-box] element,
 * inside a Shadow DOM so that the page's CSS cannot reach it, and talks only to the origin it
 * was loaded from: no cookies, no storage, no third-party requests.
 */
(() => {
  'use strict';

  // document.currentScript is set while a classic script runs, async included; the search by
  // src covers a loader that runs it otherwise.
  const isBox = (node) => /\/box\.js(\?|#|$)/.test((node && node.src) || '');
  const script = isBox(document.currentScript) ? document.currentScript
    : Array.from(document.querySelectorAll('script[src]')).reverse().find(isBox);
  if (!script || !window.fetch || !window.WeakSet || !document.documentElement.attachShadow) return;

  const ORIGIN = new URL(script.src, location.href).origin;
  const KEY = script.getAttribute('data-key') || '';
  // In /box/frame the box is a page of its own: Continue leaves the frame for the top window.
  const IN_FRAME = script.getAttribute('data-frame') === 'true';
  const PAGE_LANG = (document.documentElement.lang || '').trim() || 'en';
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
  const CADENCE_COPY = { one_off: 'once', monthly: 'monthly', annual: 'annual' };
  const SUFFIX_COPY = { monthly: 'per_month', annual: 'per_year' };

  // Only what is needed before (or without) the server's copy: the error shown when the
  // configuration cannot be loaded at all (a foreign origin, a revoked key, the network), and
  // the names of the amount group and the currency select, which have no copy key of their own.
  const FALLBACK = {
    en: { error: 'Something went wrong. Please try again.', amount_label: 'Amount', currency_label: 'Currency' },
    ru: { error: 'Что-то пошло не так. Попробуйте ещё раз.', amount_label: 'Сумма', currency_label: 'Валюта' }
  };
  const fallback = (lang) => FALLBACK[String(lang).slice(0, 2).toLowerCase()] || FALLBACK.en;

  // Colours chosen for contrast on white (all at least 4.5:1, most above 7:1): text #1a1a1a,
  // muted #4a4a4a, accent #0a5a9c (white text on it too), error #a4001d, success #1d6b2f.
  const CSS = [
    ':host{all:initial;display:block;contain:content}',
    '*,*::before,*::after{box-sizing:border-box}',
    '.box{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;',
    'border:1px solid #c9c9c9;border-top:4px solid #0a5a9c;border-radius:8px;padding:1.25rem;max-width:28rem;',
    'width:100%;min-width:0;overflow-wrap:anywhere}',
    'h2{font-size:1.3rem;line-height:1.25;margin:0 0 .4rem}',
    'p{margin:0 0 .75rem}',
    '.lead{color:#4a4a4a}',
    '.tabs{display:flex;border:1px solid #0a5a9c;border-radius:6px;overflow:hidden;margin:0 0 .9rem}',
    // Tabs as wide as their words, sharing what is left: long names ("Ежемесячно") need not break.
    '.tab{flex:1 1 auto;min-width:0;font:inherit;font-weight:600;padding:.55rem .25rem;border:0;background:#fff;',
    'color:#0a5a9c;cursor:pointer}',
    '.tab+.tab{border-left:1px solid #0a5a9c}',
    '.tab[aria-selected=true]{background:#0a5a9c;color:#fff}',
    '.from{font-weight:600}',
    'fieldset{border:0;margin:0 0 .75rem;padding:0;min-width:0}',
    'legend,.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;',
    'clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '.amounts{display:grid;grid-template-columns:repeat(auto-fit,minmax(4.5rem,1fr));gap:.5rem}',
    '.amount{position:relative;display:flex}',
    '.amount input{position:absolute;opacity:0;width:1px;height:1px;margin:0}',
    '.amount span{display:block;flex:1 1 auto;text-align:center;padding:.6rem .25rem;border:1px solid #767676;',
    'border-radius:6px;',
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
    '.methods li{display:inline-block;border:1px solid #c9c9c9;border-radius:4px;padding:0 .4rem;',
    'margin:.15rem .25rem 0 0;',
    'color:#1a1a1a}',
    'button{font:inherit}',
    '.continue,.submit{display:block;width:100%;padding:.6rem 1rem;border:2px solid transparent;border-radius:6px;',
    'background:#0a5a9c;color:#fff;font-weight:700;cursor:pointer}',
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
    // Three tabs and three amounts still fit across a 320 px phone, in Russian too.
    '@media (max-width:400px){.box{padding:1rem .75rem}.tab{font-size:.875rem;padding:.55rem .2rem}}',
    // Forced colours (Windows High Contrast) drop backgrounds, and show transparent borders (the
    // buttons'): mark the chosen tab and amount otherwise.
    '@media (forced-colors:active){.tab[aria-selected=true]{outline:3px solid Highlight;outline-offset:-3px}',
    '.amount input:checked+span{border:3px solid Highlight}}'
  ].join('');

  /** Builds an element: attributes, then children (strings become text nodes, never HTML). */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === false || value === null || value === undefined) return;
      if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach((child) => {
      if (child) node.append(child);
    });
    return node;
  }

  const fill = (text, minimum) => String(text || '').split('{minimum}').join(minimum);

  /** POSTs JSON to the Pledger origin; answers {status, body}, or rejects on a network or CORS failure. */
  function post(path, body, keepalive) {
    return fetch(ORIGIN + path, {
      method: 'POST', credentials: 'omit', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then((response) => response.text().then((text) => {
      let parsed = null;
      try { parsed = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: no server message */ }
      return { status: response.status, body: parsed };
    }));
  }

  // In the frame, location is Pledger's own page: the article is the frame's referrer.
  const pageURL = () => (IN_FRAME ? document.referrer || location.href : location.href);

  /**
   * What a checkout or a reminder carries besides its own fields: the page, the referrer, the
   * campaign, and the honeypot's value (empty, unless a bot filled it).
   */
  function attribution(campaign, honeypot) {
    const body = { key: KEY, page_url: pageURL(), website: honeypot.value };
    if (!IN_FRAME && document.referrer) body.referrer = document.referrer;
    if (campaign) body.campaign = campaign;
    return body;
  }

  /** The funnel beacon: no ids, fire and forget; keepalive lets it outlive a navigation. */
  function beacon(kind, campaign) {
    const body = { key: KEY, kind, page_url: pageURL() };
    if (campaign) body.campaign = campaign;
    post('/v1/public/events', body, true).catch(() => { /* a lost count is not the reader's problem */ });
  }

  /** Leaves for the processor's checkout: from a frame, the whole tab goes, not just the frame. */
  function go(url) {
    if (IN_FRAME) {
      try {
        window.top.location.href = url;
        return;
      } catch (e) { /* a sandbox without top navigation: at least the frame goes */ }
    }
    location.href = url;
  }

  /** Shadow styles: a constructed sheet where possible (untouched by the page's CSP), else <style>. */
  function shadow(host) {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.replaceChildren();
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.append(el('style', { text: CSS }));
    }
    return root;
  }

  function setError(field, holder, message) {
    holder.textContent = message;
    if (field) field.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function busy(button, on) {
    button.disabled = on;
    if (on) button.setAttribute('aria-busy', 'true');
    else button.removeAttribute('aria-busy');
  }

  /** A box over one configuration, rendered into one host element. */
  class Box {
    constructor(host, config) {
      this.host = host;
      this.config = config;
      this.copy = config.copy || {};
      this.campaign = host.getAttribute('data-campaign') || '';
      this.lang = PAGE_LANG;
      try { new Intl.NumberFormat(this.lang); } catch (e) { this.lang = config.lang || 'en'; }
      this.cadences = (config.cadences || []).filter((c) => CADENCE_COPY[c]);
      let wanted = host.getAttribute('data-cadence');
      if (wanted === 'once') wanted = 'one_off';
      this.cadence = [wanted, config.default_cadence].find((c) => this.cadences.includes(c)) || this.cadences[0];
      this.currency = (config.currencies || [])[0];
      this.uid = 'pb' + Math.random().toString(36).slice(2, 8);
    }

    t(key) {
      return key in this.copy ? this.copy[key] : fallback(this.config.lang || this.lang)[key] || '';
    }

    digits() {
      const d = (this.config.minor_digits || {})[this.currency];
      return typeof d === 'number' ? d : 2;
    }

    /** Formats minor units for the page's language: "$5", "$2.50", "5 €", "5 ₽". */
    money(minor) {
      const scale = 10 ** this.digits();
      const fraction = minor % scale === 0 ? 0 : this.digits();
      try {
        return new Intl.NumberFormat(this.lang, {
          style: 'currency', currency: this.currency, minimumFractionDigits: fraction, maximumFractionDigits: fraction
        }).format(minor / scale);
      } catch (e) {
        return `${(minor / scale).toFixed(fraction)} ${this.currency}`;
      }
    }

    minimum() { return (this.config.minimums || {})[this.currency] || 0; }

    belowMinimum() { return fill(this.t('below_minimum'), this.money(this.minimum())); }

    /**
     * Reads the free amount in minor units: "7", "7.5", "7,50", "$7" (currency symbols and spaces
     * are dropped). Answers null when it is not an amount of this currency.
     */
    parseAmount(text) {
      const match = /^(\d+)(?:[.,](\d*))?$/.exec(String(text).replace(/[\s\p{Sc}]/gu, ''));
      if (!match) return null;
      const fraction = match[2] || '';
      if (fraction.length > this.digits()) return null;
      const minor = Number(match[1] + fraction.padEnd(this.digits(), '0'));
      return Number.isSafeInteger(minor) ? minor : null;
    }

    render() {
      const root = shadow(this.host);
      const id = (name) => `${this.uid}-${name}`;
      const hasTabs = this.cadences.length > 1;

      this.tabs = this.cadences.map((cadence) => el('button', {
        type: 'button', role: 'tab', class: 'tab', id: id('tab-' + cadence), 'aria-controls': id('panel'),
        'data-cadence': cadence, text: this.t(CADENCE_COPY[cadence]),
        onclick: () => this.selectCadence(cadence, false),
        onkeydown: (event) => this.tabKey(event)
      }));
      this.fromLine = el('p', { class: 'from', id: id('from') });
      this.amountList = el('div', { class: 'amounts' });
      const currencies = this.config.currencies || [];
      this.currencySelect = currencies.length > 1 ? el('select', {
        id: id('currency'), 'aria-label': this.t('currency_label'),
        onchange: () => {
          this.currency = this.currencySelect.value;
          this.renderAmounts(true);
        }
      }, currencies.map((code) => el('option', { value: code, text: code }))) : null;
      this.other = el('input', {
        type: 'text', id: id('other'), name: 'other', inputmode: 'decimal', autocomplete: 'off',
        'aria-describedby': `${id('other-error')} ${id('from')}`,
        oninput: () => this.otherTyped(),
        onblur: () => { if (this.other.value.trim()) this.checkOther(); }
      });
      this.otherError = el('p', { class: 'error', id: id('other-error'), 'aria-live': 'polite' });
      this.email = el('input', {
        type: 'email', id: id('email'), name: 'email', autocomplete: 'email', spellcheck: 'false',
        'aria-describedby': id('email-error')
      });
      this.emailError = el('p', { class: 'error', id: id('email-error'), 'aria-live': 'polite' });
      // People never see the honeypot; a bot that fills every field does.
      this.honeypot = el('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
      this.continueButton = el('button', { type: 'submit', class: 'continue', text: this.t('continue') });
      this.status = el('p', { class: 'error', role: 'alert' });
      const methods = (this.config.methods || []).map((m) => el('li', { text: m.label }));

      const form = el('form', {
        novalidate: true, 'aria-labelledby': id('title'),
        onsubmit: (event) => { event.preventDefault(); this.submit(); }
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
      this.panel = el('div', { role: hasTabs ? 'tabpanel' : null, id: id('panel') }, [form]);

      this.remindEmail = el('input', {
        type: 'email', id: id('remind-email'), name: 'email', autocomplete: 'email', spellcheck: 'false',
        'aria-describedby': id('remind-error')
      });
      this.remindError = el('p', { class: 'error', id: id('remind-error'), 'aria-live': 'polite' });
      this.remindDone = el('p', { class: 'done', role: 'status' });
      this.remindSubmit = el('button', { type: 'submit', class: 'submit', text: this.t('remind_submit') });
      this.remindForm = el('form', {
        novalidate: true, hidden: true, id: id('remind'),
        onsubmit: (event) => { event.preventDefault(); this.remind(); }
      }, [
        el('label', { class: 'field', for: id('remind-email'), text: this.t('remind_email') }),
        this.remindEmail, this.remindError, this.remindSubmit
      ]);
      this.remindLink = el('button', {
        type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': id('remind'),
        text: this.t('remind_link'), onclick: () => this.toggleRemind()
      });

      root.append(el('section', { class: 'box', 'aria-labelledby': id('title'), lang: this.config.lang }, [
        el('h2', { id: id('title'), text: this.t('title') }),
        this.t('lead') ? el('p', { class: 'lead', text: this.t('lead') }) : null,
        hasTabs
          ? el('div', { role: 'tablist', class: 'tabs', 'aria-label': this.t('cadence_label') }, this.tabs)
          : null,
        this.panel,
        el('p', { class: 'remind' }, [this.t('remind_prompt') + ' ', this.remindLink]),
        this.remindForm,
        this.remindDone
      ]));
      this.selectCadence(this.cadence, false);
      // Back from the checkout, the browser may restore this page as it was left: busy.
      window.addEventListener('pageshow', (event) => {
        if (!event.persisted) return;
        busy(this.continueButton, false);
        busy(this.remindSubmit, false);
      });
    }

    /** ARIA tabs: arrows move and select (selection follows focus), Home and End jump. */
    tabKey(event) {
      const index = this.cadences.indexOf(this.cadence);
      const last = this.cadences.length - 1;
      let next = {
        ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: last
      }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      if (next < 0) next = last;
      if (next > last) next = 0;
      this.selectCadence(this.cadences[next], true);
    }

    selectCadence(cadence, focus) {
      this.cadence = cadence;
      this.tabs.forEach((tab) => {
        const selected = tab.getAttribute('data-cadence') === cadence;
        tab.setAttribute('aria-selected', selected ? 'true' : 'false');
        tab.tabIndex = selected ? 0 : -1;
        if (selected && this.tabs.length > 1) {
          this.panel.setAttribute('aria-labelledby', tab.id);
          if (focus) tab.focus();
        }
      });
      this.renderAmounts(false);
    }

    /** The preset amounts of the chosen cadence and currency, as one native radio group. */
    renderAmounts(currencyChanged) {
      const presets = ((this.config.presets || {})[this.cadence] || {})[this.currency] || [];
      const previous = (this.radios || []).findIndex((r) => r.checked);
      const suffix = this.t(SUFFIX_COPY[this.cadence]);
      // Keep the reader's own amount; else the same place in the new row (at first the middle
      // one, the usual suggestion), capped to the row's length.
      let keep = this.radios ? previous : Math.floor((presets.length - 1) / 2);
      if (this.other.value.trim()) keep = -1;
      keep = Math.min(keep, presets.length - 1);
      this.radios = presets.map((amount, index) => {
        const radio = el('input', {
          type: 'radio', name: `${this.uid}-amount`, value: String(amount), onchange: () => this.presetChosen()
        });
        radio.checked = index === keep;
        return radio;
      });
      this.amountList.replaceChildren(...this.radios.map((radio) => el('label', { class: 'amount' }, [
        radio,
        el('span', {}, [this.money(Number(radio.value)), suffix ? el('small', { text: suffix }) : null])
      ])));
      this.fromLine.textContent = fill(this.t('from_minimum'), this.money(this.minimum()));
      if (currencyChanged && this.other.value.trim()) this.checkOther();
    }

    checkedAmount() {
      const radio = this.radios.find((r) => r.checked);
      return radio ? Number(radio.value) : null;
    }

    presetChosen() {
      this.other.value = '';
      setError(this.other, this.otherError, '');
    }

    otherTyped() {
      if (this.other.value.trim()) this.radios.forEach((r) => { r.checked = false; });
      // A shown refusal goes as soon as the amount is acceptable; none is shown while typing.
      if (this.other.getAttribute('aria-invalid') === 'true') this.checkOther();
    }

    /** Checks the free amount against the currency's minimum; answers minor units or null. */
    checkOther() {
      const minor = this.parseAmount(this.other.value);
      const refused = minor === null || minor < this.minimum();
      setError(this.other, this.otherError, refused ? this.belowMinimum() : '');
      return refused ? null : minor;
    }

    /**
     * Shows a failed answer: 429 as rate_limited; a refusal naming a field of the box at that
     * field, in the page's language where the copy has words for it (the minimum, a bad e-mail),
     * else in the server's words; any other failure as the error copy in `holder`.
     */
    showFailure(result, fields, holder) {
      const error = (result.body && result.body.error) || {};
      const place = fields[error.field];
      if (result.status === 429 || !place || !error.message) {
        setError(null, holder, this.t(result.status === 429 ? 'rate_limited' : 'error'));
        return;
      }
      // The minimum's code is below_minimum in docs/box.md, amount_below_minimum from the policy.
      const message = /below_minimum$/.test(error.code || '') ? this.belowMinimum()
        : error.code === 'invalid_email' ? this.t('invalid_email') : error.message;
      setError(place[0], place[1], message);
      place[0].focus();
    }

    submit() {
      setError(this.email, this.emailError, '');
      setError(null, this.status, '');
      const chosen = this.checkedAmount();
      const amount = chosen !== null ? chosen : this.checkOther();
      if (amount === null) {
        this.other.focus();
        return;
      }
      const email = this.email.value.trim();
      if (email && !EMAIL.test(email)) {
        setError(this.email, this.emailError, this.t('invalid_email'));
        this.email.focus();
        return;
      }
      const body = Object.assign(attribution(this.campaign, this.honeypot), {
        cadence: this.cadence, amount, currency: this.currency
      });
      if (email) body.email = email;
      beacon('continued', this.campaign);
      busy(this.continueButton, true);
      const fields = {
        amount: [this.other, this.otherError], email: [this.email, this.emailError],
        currency: [this.currencySelect || this.other, this.otherError]
      };
      post('/v1/public/checkout', body).then((result) => {
        if (result.status === 201 && result.body && result.body.checkout_url) {
          go(result.body.checkout_url);
          return;
        }
        busy(this.continueButton, false);
        this.showFailure(result, fields, this.status);
      }, () => {
        busy(this.continueButton, false);
        setError(null, this.status, this.t('error'));
      });
    }

    toggleRemind() {
      const open = this.remindForm.hidden;
      this.remindForm.hidden = !open;
      this.remindLink.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) this.remindEmail.focus();
    }

    remind() {
      setError(this.remindEmail, this.remindError, '');
      this.remindDone.textContent = '';
      const email = this.remindEmail.value.trim();
      if (!EMAIL.test(email)) {
        setError(this.remindEmail, this.remindError, this.t('invalid_email'));
        this.remindEmail.focus();
        return;
      }
      const body = Object.assign(attribution(this.campaign, this.honeypot), { email });
      busy(this.remindSubmit, true);
      post('/v1/public/reminders', body).then((result) => {
        busy(this.remindSubmit, false);
        if (result.status >= 200 && result.status < 300) {
          this.toggleRemind();
          this.remindDone.textContent = this.t('remind_done');
          return;
        }
        this.showFailure(result, { email: [this.remindEmail, this.remindError] }, this.remindError);
      }, () => {
        busy(this.remindSubmit, false);
        setError(null, this.remindError, this.t('error'));
      });
    }
  }

  /** Counts the box as shown once, when it first scrolls into view (at once without IntersectionObserver). */
  function watchShown(host, campaign) {
    if (!window.IntersectionObserver) {
      beacon('shown', campaign);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      beacon('shown', campaign);
    });
    observer.observe(host);
  }

  /** Without a configuration only one line is shown: the error, in the page's language. */
  function renderFailure(host) {
    shadow(host).append(el('div', { class: 'box' }, [
      el('p', { class: 'error', role: 'alert', text: fallback(PAGE_LANG).error })
    ]));
  }

  let config = null;
  const rendered = new WeakSet();

  function renderAll() {
    document.querySelectorAll('[data-pledger-box]').forEach((host) => {
      if (rendered.has(host)) return;
      rendered.add(host);
      if (!config) {
        renderFailure(host);
        return;
      }
      new Box(host, config).render();
      watchShown(host, host.getAttribute('data-campaign') || '');
    });
  }

  const query = `key=${encodeURIComponent(KEY)}&lang=${encodeURIComponent(PAGE_LANG)}`;
  fetch(`${ORIGIN}/v1/public/box?${query}`, { credentials: 'omit' })
    .then((response) => response.json().then((body) => {
      if (!response.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${response.status}`);
      config = body;
    }))
    .catch((error) => {
      // For the publisher's developer: why the box is not there (a foreign origin shows as a CORS error).
      console.warn(`Pledger box: the configuration could not be loaded: ${error.message}`);
    })
    .then(() => {
      renderAll();
      // Boxes further down a page that is still loading are rendered once it is parsed.
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderAll);
    });
})();
