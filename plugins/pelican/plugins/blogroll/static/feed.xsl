<?xml version="1.0" encoding="utf-8"?>
<!-- The site's Atom feeds as a page, for a reader who opens one in a browser: what a feed is,
     its address to copy, the applications that read feeds, the entries. Self-contained: its styles
     and its one script are here, nothing is loaded from anywhere. The build writes it with
     SITE_NAME, HOME_URL, SUBSCRIBE_URL and JOIN_URL filled in (site/formats/feedstyle.py).
     Browsers are removing XSLT: then feed.css, the feeds' second stylesheet, takes over. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:a="http://www.w3.org/2005/Atom" exclude-result-prefixes="a">
<xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

<xsl:variable name="self" select="/a:feed/a:link[@rel='self']/@href"/>

<xsl:template match="/">
<html lang="fr">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title>Flux : <xsl:value-of select="/a:feed/a:title"/></title>
<style>
:root { --bg: #fdfcf9; --fg: #1d2421; --muted: #4f5a55; --accent: #0a6158; --accent-bg: #e3f1ee;
  --border: #cfd6d2; --card: #ffffff; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #141917; --fg: #e8ece9; --muted: #b3bdb8; --accent: #7fd6c8; --accent-bg: #1f3531;
    --border: #3a4843; --card: #1a201e; }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); overflow-wrap: break-word;
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
.wrap { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--accent); text-underline-offset: .15em; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
header { border-bottom: 1px solid var(--border); background: var(--card); }
header p { margin: 0; padding: .6rem 0; font-weight: 700; font-size: 1.25rem; }
header a { color: var(--fg); text-decoration: none; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 1rem 0 .5rem; }
h2 { font-size: 1.2rem; line-height: 1.3; margin: 1.5rem 0 .5rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: .9rem; margin: 0 0 .25rem; }
.box { border-left: 4px solid var(--accent); background: var(--accent-bg); padding: .75rem 1rem; border-radius: .25rem; }
.box h2 { margin-top: 0; }
.copy { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.copy input { flex: 1 1 14rem; min-width: 0; font: inherit; font-size: .95rem; padding: .4rem .5rem;
  color: var(--fg); background: var(--card); border: 1px solid var(--border); border-radius: .25rem; }
.copy button { font: inherit; padding: .4rem .9rem; border-radius: .25rem; cursor: pointer;
  border: 2px solid var(--accent); background: var(--accent); color: var(--bg); font-weight: 700; }
.entries { list-style: none; padding: 0; display: grid; gap: 1rem; }
.entries li { background: var(--card); border: 1px solid var(--border); border-radius: .5rem; padding: .75rem 1rem; }
.entries h3 { margin: 0 0 .25rem; font-size: 1.1rem; }
.entries p { margin: .25rem 0; }
footer { border-top: 1px solid var(--border); color: var(--muted); font-size: .9rem; padding: 1rem 0 2rem; }
/* The browser's English notice that XSLT is going away: this page then falls back to feed.css. */
xslt-warning-banner { display: none !important; }
</style>
</head>
<body>
<header><div class="wrap"><p><a href="HOME_URL">SITE_NAME</a></p></div></header>
<main class="wrap">
<p class="muted">Vous regardez un flux d'abonnement.</p>
<h1><xsl:value-of select="/a:feed/a:title"/></h1>
<xsl:if test="/a:feed/a:subtitle"><p class="muted"><xsl:value-of select="/a:feed/a:subtitle"/></p></xsl:if>
<section class="box" aria-labelledby="suivre">
<h2 id="suivre">Suivre ces billets</h2>
<p>Copiez cette adresse et collez-la dans votre lecteur de flux (« Ajouter un flux » ou « S’abonner ») : les nouveaux billets y apparaîtront d’eux-mêmes.</p>
<div class="copy">
<label class="muted" for="adresse" style="flex-basis:100%">Adresse du flux</label>
<input id="adresse" type="text" readonly="readonly" value="{$self}"/>
<button type="button" id="copier" hidden="hidden">Copier l’adresse</button>
</div>
<p id="copie" class="muted" role="status" aria-live="polite"></p>
</section>
<h2>Qu’est-ce qu’un flux ?</h2>
<p>Un flux est la liste des derniers billets, dans un format que lisent les applications de lecture de flux (on dit aussi « flux RSS »). Une fois l’adresse ajoutée, l’application vous montre chaque nouveau billet, sans compte, sans inscription, sans message dans votre boîte : vous vous désabonnez en retirant l’adresse. Personne ne sait que vous vous êtes abonné.</p>
<h2>Avec quelle application ?</h2>
<p>Un « lecteur de flux » ou « lecteur RSS » : sur téléphone, cherchez ces mots dans la boutique d’applications ; sur ordinateur, une extension du navigateur ou un logiciel de messagerie qui lit les flux fait l’affaire. Beaucoup sont gratuits, et certains libres.</p>
<p><a href="SUBSCRIBE_URL">Toutes les façons de s’abonner</a> (par spécialité, par blog, tous les blogs d’un coup) · <a href="{/a:feed/a:link[@rel='alternate']/@href}">Voir ces billets sur le site</a></p>
<h2>Les derniers billets de ce flux</h2>
<ol class="entries">
<xsl:apply-templates select="/a:feed/a:entry"/>
</ol>
</main>
<footer><div class="wrap"><p>SITE_NAME ne reprend que des extraits ; chaque billet se lit sur son blog d’origine. · <a href="JOIN_URL">Proposer un blog</a></p></div></footer>
<script>
(function () {
  var input = document.getElementById("adresse"), button = document.getElementById("copier"),
      said = document.getElementById("copie");
  if (!input || !button) { return; }
  // A build without an absolute SITEURL writes « /feeds/… »: a reader needs the whole address.
  try { input.value = new URL(input.value || location.href, location.href).href; } catch (e) {}
  button.hidden = false;
  button.addEventListener("click", function () {
    function done() { said.textContent = "Adresse copiée : collez-la dans votre lecteur de flux."; }
    input.focus(); input.select();
    if (navigator.clipboard &amp;&amp; window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        said.textContent = "Sélectionnez l’adresse ci-dessus, puis copiez-la.";
      });
    } else if (document.execCommand &amp;&amp; document.execCommand("copy")) {
      done();
    } else {
      said.textContent = "Sélectionnez l’adresse ci-dessus, puis copiez-la.";
    }
  });
})();
</script>
</body>
</html>
</xsl:template>

<xsl:template match="a:entry">
<xsl:variable name="link" select="a:link[@rel='alternate']/@href"/>
<li>
<h3><xsl:choose>
  <xsl:when test="starts-with($link, 'https://') or starts-with($link, 'http://')">
    <a href="{$link}" rel="noopener external"><xsl:value-of select="a:title"/></a>
  </xsl:when>
  <xsl:otherwise><xsl:value-of select="a:title"/></xsl:otherwise>
</xsl:choose></h3>
<p class="meta"><time datetime="{a:published}"><xsl:call-template name="date">
  <xsl:with-param name="iso" select="a:published"/></xsl:call-template></time>
  · <xsl:value-of select="a:author/a:name"/>
  <xsl:for-each select="a:category"> · <xsl:value-of select="@label"/></xsl:for-each></p>
<p><xsl:value-of select="a:summary"/></p>
</li>
</xsl:template>

<!-- « 2026-11-20T… » → « 20 novembre 2026 » (the day as written in the feed). -->
<xsl:template name="date">
<xsl:param name="iso"/>
<xsl:variable name="m" select="substring($iso, 6, 2)"/>
<xsl:value-of select="number(substring($iso, 9, 2))"/>
<xsl:if test="substring($iso, 9, 2) = '01'">er</xsl:if>
<xsl:text> </xsl:text>
<xsl:choose>
  <xsl:when test="$m = '01'">janvier</xsl:when><xsl:when test="$m = '02'">février</xsl:when>
  <xsl:when test="$m = '03'">mars</xsl:when><xsl:when test="$m = '04'">avril</xsl:when>
  <xsl:when test="$m = '05'">mai</xsl:when><xsl:when test="$m = '06'">juin</xsl:when>
  <xsl:when test="$m = '07'">juillet</xsl:when><xsl:when test="$m = '08'">août</xsl:when>
  <xsl:when test="$m = '09'">septembre</xsl:when><xsl:when test="$m = '10'">octobre</xsl:when>
  <xsl:when test="$m = '11'">novembre</xsl:when><xsl:otherwise>décembre</xsl:otherwise>
</xsl:choose>
<xsl:text> </xsl:text>
<xsl:value-of select="substring($iso, 1, 4)"/>
</xsl:template>
</xsl:stylesheet>
