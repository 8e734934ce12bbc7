// Pages people paste into messengers: /clip/{id}, /u/{username} and /watch?season=ID answer with
// the app shell carrying Open Graph and Twitter card tags (title, description, poster, video), so
// a link shows a preview without running any script. The app then renders the page as usual.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"

namespace aimoviez::http {

struct ShareMeta {
  std::string title;
  std::string description;
  std::string url;    // absolute
  std::string image;  // absolute, may be empty
  std::string video;  // absolute, may be empty
  std::string type = "website";
};

// The shell with `meta` as <title> and og:/twitter: tags before </head>; every value is
// HTML-escaped. A shell without </head> is returned unchanged.
std::string WithShareMeta(std::string_view shell, const ShareMeta& meta);

void RegisterSharePageRoutes(Router& router);

}  // namespace aimoviez::http
