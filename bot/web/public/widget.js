// The chot chat widget for a business's own site:
//   <script src="https://chot.example/chat/widget.js" data-src="facebook" async></script>
// It adds a chat button; the chat itself runs in a frame served by chot, so the host page's
// scripts and styles cannot touch the conversation, and the conversation cannot touch the page.
// data-src names the ad source (else the host page's own ?src= is used); data-lang="en" for English.
(function () {
  'use strict';
  var TEXTS = __CHOT_TEXTS__;
  var script = document.currentScript;
  if (!script || window.__chotWidget) return;
  window.__chotWidget = true;

  var origin = new URL(script.src, location.href).origin;
  var src = script.getAttribute('data-src') || new URLSearchParams(location.search).get('src') || '';
  var lang = script.getAttribute('data-lang') === 'en' ? 'en' : 'vi';
  var texts = TEXTS[lang];

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = '\uD83D\uDCAC';
  button.setAttribute('aria-label', texts.open);
  button.title = texts.open;
  style(button, {
    position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147483000',
    width: '60px', height: '60px', borderRadius: '50%', border: '0',
    background: '#0f766e', color: '#fff', fontSize: '28px', cursor: 'pointer',
    boxShadow: '0 6px 20px rgba(0,0,0,0.25)',
  });

  var frame = null;

  function style(node, values) {
    for (var key in values) node.style[key] = values[key];
  }

  function place() {
    if (!frame) return;
    var small = window.innerWidth < 480;
    style(frame, small
      ? { right: '0', bottom: '0', width: '100%', height: '100%', borderRadius: '0' }
      : { right: '20px', bottom: '90px', width: '380px', height: 'min(600px, calc(100% - 110px))', borderRadius: '14px' });
  }

  // The frame is made on the first click only: a page view alone starts no conversation.
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      var query = '?embed=1' + (src ? '&src=' + encodeURIComponent(src) : '') + (lang === 'en' ? '&lang=en' : '');
      frame.src = origin + '/chat' + query;
      frame.title = texts.open;
      style(frame, { position: 'fixed', zIndex: '2147483001', border: '0', background: '#fff', boxShadow: '0 8px 32px rgba(0,0,0,0.25)' });
      document.body.appendChild(frame);
      place();
      window.addEventListener('resize', function () {
        place();
        placeButton(frame.style.display !== 'none');
      });
    } else {
      frame.style.display = frame.style.display === 'none' ? 'block' : 'none';
    }
    var isOpen = frame.style.display !== 'none';
    button.textContent = isOpen ? '\u2715' : '\uD83D\uDCAC';
    button.setAttribute('aria-label', isOpen ? texts.close : texts.open);
    button.title = isOpen ? texts.close : texts.open;
    placeButton(isOpen);
  }

  // On a phone the open frame covers the screen: the close button moves to the header's corner,
  // where it hides no part of the chat's input.
  function placeButton(isOpen) {
    var small = window.innerWidth < 480;
    var corner = isOpen && small;
    style(button, corner
      ? { top: '12px', right: '12px', bottom: 'auto', width: '40px', height: '40px', fontSize: '20px', zIndex: '2147483002' }
      : { top: 'auto', right: '20px', bottom: '20px', width: '60px', height: '60px', fontSize: '28px', zIndex: isOpen ? '2147483002' : '2147483000' });
  }

  button.addEventListener('click', open);
  if (document.body) document.body.appendChild(button);
  else document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(button); });
})();
