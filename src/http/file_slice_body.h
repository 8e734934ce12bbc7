// A Beast body that streams one byte range of a file: Range requests are answered from the
// file in small reads as the socket drains, so an answer holds a fixed buffer whatever the
// range's size (Beast's file_body always sends to the end of the file). Serialisation only.
// Included by the server's translation unit alone.
#pragma once

#include <boost/beast/core/file.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace aimoviez::http {

struct FileSliceBody {
  struct value_type {
    boost::beast::file file;  // opened for reading by the caller
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };

  static std::uint64_t size(const value_type& body) { return body.length; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) {
      body_.file.seek(body_.offset, ec);
      remaining_ = body_.length;
    }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (remaining_ == 0) return boost::none;
      const auto want = static_cast<std::size_t>(
          std::min<std::uint64_t>(remaining_, static_cast<std::uint64_t>(buffer_.size())));
      const std::size_t got = body_.file.read(buffer_.data(), want, ec);
      if (ec) return boost::none;
      if (got == 0) {  // the file shrank under us: the promised length cannot be kept
        ec = boost::beast::http::error::short_read;
        return boost::none;
      }
      remaining_ -= got;
      return std::make_pair(const_buffers_type(buffer_.data(), got), remaining_ > 0);
    }

   private:
    value_type& body_;
    std::uint64_t remaining_ = 0;
    std::array<char, 32 * 1024> buffer_{};
  };
};

}  // namespace aimoviez::http
