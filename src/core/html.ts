// Text from outside (names from clusters and manifests, server messages) placed in HTML: escaped for element content
// and quoted attribute values alike. The one HTML escape of the product (webviews, the saved report).
export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character,
  );
