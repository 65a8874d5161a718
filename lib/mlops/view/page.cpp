#include "mlops/view/page.hpp"

#include <fmt/format.h>

#include "mlops/view/assets.hpp"
#include "mlops/view/html.hpp"

namespace mlops::view {

std::string render_page(const Page& page, PageAssets assets) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  if (assets == PageAssets::inline_) {
    // Nothing may be fetched: no network, no CDN. Inline style and script only.
    html +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n";
  }
  html +=
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n";
  if (page.refresh_seconds > 0)
    html += fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">\n", page.refresh_seconds);
  html += fmt::format("<title>{}</title>\n", escape(page.title));
  if (assets == PageAssets::inline_) {
    html += fmt::format("<meta name=\"generator\" content=\"mlops runs report\">\n<style>\n{}</style>", page_css());
  } else {
    html += "<link rel=\"stylesheet\" href=\"/static/page.css\">";
  }
  html += "</head><body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n";
  html += fmt::format("<header><h1>{}</h1>\n<nav aria-label=\"Sections\"><ul>{}</ul></nav></header>\n",
                      escape(page.title), page.nav);
  html += "<main id=\"main\">\n" + page.body + "</main>\n";
  html += "<script type=\"application/json\" id=\"mlops-data\">" + script_json(page.data) + "</script>\n";
  if (assets == PageAssets::inline_) {
    html += "<script>\n" + std::string(page_script()) + "</script>\n";
  } else {
    html += "<script src=\"/static/page.js\"></script>\n";
  }
  return html + "</body></html>\n";
}

}  // namespace mlops::view
