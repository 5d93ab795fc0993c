// The chot chat page's browser code: plain JavaScript, no build step. It draws every text with
// textContent only (no HTML parsing anywhere), so nothing a person typed can become markup.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var texts = config.texts;
  var log = document.getElementById('log');
  var notice = document.getElementById('notice');
  var subtitle = document.getElementById('subtitle');
  var title = document.getElementById('title');
  var header = document.getElementById('header');
  var composer = document.getElementById('composer');
  var input = document.getElementById('text');
  var phoneForm = document.getElementById('phone-form');
  var phoneInput = document.getElementById('phone-input');
  // The honeypot: hidden from people; a bot that fills every field gives itself away.
  var honeypot = document.getElementById('website');

  var STORAGE_KEY = 'chot.visitorId';
  var lastSeq = 0;
  var shown = {};
  var sending = Promise.resolve();

  /** 24 random bytes as base64url: the visitor's id and their only key to the conversation. */
  function randomId(bytes) {
    var buf = new Uint8Array(bytes);
    crypto.getRandomValues(buf);
    var s = '';
    for (var i = 0; i < buf.length; i++) s += String.fromCharCode(buf[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function visitorId() {
    try {
      var id = localStorage.getItem(STORAGE_KEY);
      if (!id || !/^[A-Za-z0-9_-]{22,128}$/.test(id)) {
        id = randomId(24);
        localStorage.setItem(STORAGE_KEY, id);
      }
      return id;
    } catch (e) {
      // Storage blocked (private mode, third-party frame): the chat still works for this visit.
      if (!window.__chotVisitor) window.__chotVisitor = randomId(24);
      return window.__chotVisitor;
    }
  }

  function showNotice(text) {
    notice.textContent = text || '';
    notice.hidden = !text;
  }

  function post(path, body) {
    body.visitorId = visitorId();
    body.lang = config.lang;
    if (config.embed) body.embed = true;
    return fetch('/chat/api/' + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(
        function (data) {
          if (!res.ok) {
            var err = new Error(data && data.message ? data.message : texts.unexpected);
            err.refused = true;
            throw err;
          }
          return data;
        },
        function () {
          throw new Error(texts.unexpected);
        },
      );
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(data) {
    if (data.staff && data.staff.name) {
      // A function, so a "$&" in a name is not read as a replacement pattern.
      subtitle.textContent = texts.staffSubtitle.replace('{name}', function () {
        return data.staff.name;
      });
      // The page may have been served before the login: the staff header replaces the visitors' one.
      title.textContent = texts.staffTitle;
      document.title = texts.staffTitle;
      header.classList.add('staff');
    }
    var messages = data.messages || [];
    var askPhone = null;
    for (var i = 0; i < messages.length; i++) {
      var m = messages[i];
      if (shown[m.seq]) continue;
      shown[m.seq] = true;
      if (m.seq > lastSeq) lastSeq = m.seq;
      // Once the person has answered, earlier buttons are spent: pressing one later would answer
      // a question that is no longer being asked.
      if (m.from === 'visitor') disableChoices();
      log.appendChild(bubble(m));
      askPhone = m.from === 'chot' ? Boolean(m.requestPhone) : false;
    }
    if (askPhone !== null) phoneForm.hidden = !askPhone;
    if (messages.length) log.scrollTop = log.scrollHeight;
  }

  function disableChoices() {
    var buttons = log.querySelectorAll('button.choice');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }

  function bubble(m) {
    var item = el('li', 'bubble from-' + m.from);
    item.setAttribute('data-seq', String(m.seq));
    if (m.from === 'visitor') item.setAttribute('aria-label', texts.you);
    item.appendChild(el('div', 'bubble-text', m.text));
    if (m.document && m.document.url) {
      var link = el('a', 'bubble-file', '📄 ' + m.document.filename);
      link.href = m.document.url;
      link.setAttribute('download', m.document.filename);
      item.appendChild(link);
    }
    if (m.choices && m.choices.length) {
      var group = el('div', 'choices');
      m.choices.forEach(function (choice) {
        var button = el('button', 'choice', choice.label);
        button.type = 'button';
        button.addEventListener('click', function () {
          var buttons = group.querySelectorAll('button');
          for (var j = 0; j < buttons.length; j++) buttons[j].disabled = true;
          button.classList.add('chosen');
          send({ choice: choice.data });
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  /** Sends one message; the same client id is reused on retries, so the server handles it once. */
  function send(body) {
    body.clientMessageId = randomId(16);
    if (honeypot && honeypot.value) body.website = honeypot.value;
    sending = sending.then(function () {
      return attempt(body, 3);
    });
    return sending;
  }

  function attempt(body, triesLeft) {
    body.after = lastSeq;
    return post('messages', body).then(
      function (data) {
        showNotice('');
        render(data);
        return true;
      },
      function (err) {
        if (!err.refused && triesLeft > 1) {
          showNotice(texts.offline);
          return wait(1500).then(function () {
            return attempt(body, triesLeft - 1);
          });
        }
        showNotice(err.message);
        return false;
      },
    );
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  /** Long polling: the server answers as soon as there is news, or empty after ~25 s. */
  function poll(delay) {
    post('poll', { after: lastSeq, wait: true }).then(
      function (data) {
        if (notice.textContent === texts.offline) showNotice('');
        render(data);
        poll(1000);
      },
      function () {
        showNotice(texts.offline);
        setTimeout(function () {
          poll(Math.min(delay * 2, 15000));
        }, delay);
      },
    );
  }

  composer.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.length > config.maxLength) {
      showNotice(texts.tooLong);
      return;
    }
    input.value = '';
    send({ text: text }).then(function (ok) {
      if (!ok && !input.value) input.value = text;
    });
  });

  input.addEventListener('keydown', function (event) {
    // Enter sends, Shift+Enter starts a new line (as in every chat app).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  // A photo or file: sent as base64 in the same JSON calls as messages (see bot/web/upload.ts).
  var fileInput = document.getElementById('file');
  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    if (file.size > config.maxFileBytes) {
      showNotice(texts.fileTooLarge);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var data = String(reader.result).replace(/^data:[^,]*,/, '');
      var body = { name: file.name, data: data, clientMessageId: randomId(16) };
      sending = sending.then(function () {
        body.after = lastSeq;
        return post('files?lang=' + config.lang, body).then(
          function (answer) {
            showNotice('');
            render(answer);
          },
          function (err) {
            showNotice(err.message);
          },
        );
      });
    };
    reader.readAsDataURL(file);
  });

  phoneForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var phone = phoneInput.value.trim();
    if (!phone) return;
    phoneInput.value = '';
    phoneForm.hidden = true;
    send({ text: phone });
  });

  // First load: the stored conversation, or a fresh greeting (with the ad's source) if there is none.
  post('poll', { after: 0, wait: false })
    .then(function (data) {
      render(data);
      if (!lastSeq) return send({ start: true, src: config.src || undefined });
    })
    .catch(function (err) {
      showNotice(err.message);
    })
    .then(function () {
      poll(1000);
    });
})();
