/**
 * Log text is hostile: it is made visible (terminal controls, bidi overrides shown as escapes)
 * and then escaped for the markup it lands in.
 */
import { visibleText } from '../pipeline/visible-text.js';

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML/SVG element content and quoted attributes. */
export function escapeXml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (char) => XML_ENTITIES[char] as string);
}

/** Multi-line log text (stack traces) for a <pre>: line breaks kept, everything else escaped. */
export function escapeXmlMultiline(text: string): string {
  return visibleText(text, { multiline: true }).replace(/[&<>"']/g, (char) => XML_ENTITIES[char] as string);
}

const MARKDOWN_HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text safe in a Markdown table cell or line: visible, no HTML, pipes and emphasis characters escaped. */
export function escapeMarkdown(text: string): string {
  return visibleText(text)
    .replace(/[&<>]/g, (char) => MARKDOWN_HTML[char] as string)
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}
