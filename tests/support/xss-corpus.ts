/**
 * What a hostile reporter or reviewer might type, from the usual cheat sheets: markup, handlers,
 * scheme tricks, parser confusion, encoded forms and template syntax. Each must stay text
 * wherever Candour shows it; the ones that could run would set window.__xss, and the ones that
 * could fetch would reach evil.example.
 */
export const XSS_CORPUS: readonly string[] = [
  "<script>window.__xss=1</script>",
  "<img src=x onerror=\"window.__xss=2\">",
  "<svg onload=\"window.__xss=3\">",
  "<svg><script>window.__xss=4</script></svg>",
  "<iframe src=\"javascript:parent.__xss=5\"></iframe>",
  "<iframe srcdoc=\"<script>parent.__xss=6</script>\"></iframe>",
  "<a href=\"javascript:window.__xss=7\">click me</a>",
  "[click me](javascript:window.__xss=8)",
  "\"><script>window.__xss=9</script>",
  "'><img src=x onerror=window.__xss=10>",
  "</textarea><script>window.__xss=11</script>",
  "</title><script>window.__xss=12</script>",
  "</script><script>window.__xss=13</script>",
  "<body onload=\"window.__xss=14\">",
  "<details open ontoggle=\"window.__xss=15\">",
  "<input autofocus onfocus=\"window.__xss=16\">",
  "<video><source onerror=\"window.__xss=17\"></video>",
  "<audio src=x onerror=\"window.__xss=18\">",
  "<object data=\"javascript:window.__xss=19\"></object>",
  "<embed src=\"javascript:window.__xss=20\">",
  "<form action=\"javascript:window.__xss=21\"><button>go</button></form>",
  "<button formaction=\"javascript:window.__xss=22\">go</button>",
  "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=23\">",
  "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=24>\">",
  "<style>@import 'https://evil.example/x.css';</style>",
  "<link rel=stylesheet href=\"https://evil.example/y.css\">",
  "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
  "<base href=\"https://evil.example/\">",
  "<img src=\"https://evil.example/pixel.gif\">",
  "<div style=\"background:url(https://evil.example/bg.png)\">bg</div>",
  "&lt;script&gt;window.__xss=25&lt;/script&gt;",
  "&#60;img src=x onerror=window.__xss=26&#62;",
  "\\u003cscript\\u003ewindow.__xss=27\\u003c/script\\u003e",
  "{{constructor.constructor('window.__xss=28')()}}",
  "${window.__xss=29}",
  "<!--<img src=x onerror=window.__xss=30>-->",
  "<![CDATA[<script>window.__xss=31</script>]]>",
  "javascript:window.__xss=32",
  "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MzM8L3NjcmlwdD4=",
  "<x onmouseover=\"window.__xss=34\" style=\"position:fixed;inset:0\">hover</x>",
  "<select autofocus onfocus=\"window.__xss=35\"></select>",
  "<marquee onstart=\"window.__xss=36\">",
  "<a href=\"https://evil.example/\">a link off the portal</a>",
  "<scr<script>ipt>window.__xss=37</scr</script>ipt>",
  "<IMG SRC=JaVaScRiPt:window.__xss=38>",
  "<img src=x:x onerror=&#x77;indow.__xss=39>",
]

/**
 * Markup that only a payload could have put in a page's <main>; any match means text became HTML.
 * (The reviewer layout's own <noscript> notice sits directly in <main>; a payload's would be deeper.)
 */
export const HAZARDS = [
  'script', 'iframe', 'object', 'embed', 'style', 'link', 'base', 'math', 'svg', 'img', 'video', 'audio', 'source',
  'marquee', 'x', '* noscript', 'details[ontoggle]', 'select[onfocus]', 'input[onfocus]', 'body',
  'meta:not([content$=";url=/check"])', '[formaction]', 'form[action^="javascript" i]',
  '[onerror]', '[onload]', '[onfocus]', '[ontoggle]', '[onmouseover]', '[onstart]', '[srcdoc]', '[style*="url("]',
  'a[href^="javascript" i]', '[href*="evil.example"]', '[src^="data:"]',
].map((s) => `main ${s}`).join(', ')
