#include "domain/upload_service.h"

#include "common/crypto.h"
#include "common/text.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {

Error TooLarge(std::int64_t max) {
  return Error{ErrorKind::kPayloadTooLarge, "TOO_LARGE", "Clips are at most 50 MB", {}}.With(
      "maxBytes", max);
}

}  // namespace

std::string UploadService::Signature(std::string_view key, EpochMs expires_at) const {
  return UploadSignature(secret_, key, expires_at);
}

Result<SignedUpload> UploadService::Sign(const User& user, std::string_view filename,
                                         std::string_view content_type, std::int64_t size,
                                         RateDecision* rate) {
  const auto ext = ExtensionForContentType(content_type);
  if (!ext) {
    return Error{ErrorKind::kUnsupportedMedia,
                 "UNSUPPORTED_FORMAT",
                 "Only MP4, WebM and MOV videos are accepted",
                 {}}
        .With("field", "contentType");
  }
  if (size <= 0)
    return Error::InvalidInput("size must be a positive number of bytes").With("field", "size");
  if (size > limits_.max_upload_bytes) return TooLarge(limits_.max_upload_bytes);
  if (filename.size() > 255)
    return Error::InvalidInput("filename is too long").With("field", "filename");
  const EpochMs now = clock_.NowMs();
  const auto decision =
      windows_.Admit("upload-sign|" + std::to_string(user.id), limits_.uploads_per_minute, now);
  if (rate) *rate = decision;
  if (!decision.allowed) {
    return Error{ErrorKind::kRateLimited, "RATE_LIMITED", "At most 5 uploads a minute", {}};
  }
  Upload upload;
  upload.object_key = "uploads/" + crypto::ToHex(crypto::RandomBytes(16)) + "." + *ext;
  upload.user_id = user.id;
  upload.declared_size = size;
  upload.content_type = std::string(content_type);
  upload.expires_at = now + limits_.signed_url_ttl_ms;
  upload.created_at = now;
  store_.InsertUpload(upload);
  SignedUpload signed_upload;
  signed_upload.key = upload.object_key;
  signed_upload.content_type = upload.content_type;
  signed_upload.max_bytes = size;
  signed_upload.expires_at = upload.expires_at;
  const auto direct = objects_.DirectUploadUrl(
      upload.object_key, static_cast<int>(limits_.signed_url_ttl_ms / 1000), size);
  signed_upload.upload_url = direct ? *direct
                                    : "/api/upload/put/" + upload.object_key +
                                          "?expires=" + std::to_string(upload.expires_at) +
                                          "&sig=" + Signature(upload.object_key, upload.expires_at);
  return signed_upload;
}

Result<Upload> UploadService::AuthorizePut(std::string_view key, std::string_view expires,
                                           std::string_view signature,
                                           std::optional<std::uint64_t> content_length) {
  if (!IsValidObjectKey(key) || key.substr(0, 8) != "uploads/") {
    return Error::InvalidInput("Not an upload key", "INVALID_KEY");
  }
  const auto expires_at = VerifiedUploadExpiry(secret_, key, expires, signature);
  if (!expires_at) {
    return Error::Forbidden("UPLOAD_SIGNATURE_INVALID", "The upload URL's signature is not valid");
  }
  if (*expires_at < clock_.NowMs()) {
    return Error::Forbidden("UPLOAD_EXPIRED", "The upload URL has expired; ask for a new one");
  }
  auto upload = store_.FindUpload(key);
  if (!upload) return Error::NotFound("Upload");
  if (upload->status == UploadStatus::kFailed && upload->received_bytes == 0) {
    // Cancelled before anything arrived: the creator signed out, was banned or left.
    return Error::Forbidden("UPLOAD_REVOKED", "This upload link was cancelled; sign in again");
  }
  if (upload->status != UploadStatus::kSigned) {
    return Error::Conflict("UPLOAD_ALREADY_RECEIVED", "This upload URL was already used");
  }
  if (content_length && *content_length > static_cast<std::uint64_t>(upload->declared_size)) {
    return TooLarge(limits_.max_upload_bytes).With("declaredSize", upload->declared_size);
  }
  return *upload;
}

Result<Upload> UploadService::CompletePut(std::string_view key, std::uint64_t bytes) {
  return InTransaction(store_, [&]() -> Result<Upload> {
    auto upload = store_.FindUpload(key);
    if (!upload) return Error::NotFound("Upload");
    if (upload->status != UploadStatus::kSigned) {
      return Error::Conflict("UPLOAD_ALREADY_RECEIVED", "This upload URL was already used");
    }
    upload->received_bytes = static_cast<std::int64_t>(bytes);
    upload->status = bytes == 0 || bytes > static_cast<std::uint64_t>(upload->declared_size)
                         ? UploadStatus::kFailed
                         : UploadStatus::kUploaded;
    store_.UpdateUpload(*upload);
    if (upload->status == UploadStatus::kFailed) {
      return Error::InvalidInput("The upload was empty or larger than declared",
                                 "UPLOAD_SIZE_MISMATCH");
    }
    return *upload;
  });
}

Result<Clip> UploadService::Register(const User& user, const ClipSubmission& in) {
  auto upload = store_.FindUpload(in.key);
  if (!upload || upload->user_id != user.id) return Error::NotFound("Upload");
  if (upload->status == UploadStatus::kRegistered) {
    return Error::Conflict("UPLOAD_ALREADY_REGISTERED", "This upload is already a clip");
  }
  if (upload->status == UploadStatus::kSigned) {
    // Uploaded straight to the bucket: the server sees the object for the first time here.
    const auto size = objects_.Fetch(upload->object_key);
    if (!size) return Error::Conflict("UPLOAD_NOT_RECEIVED", "The file has not been uploaded yet");
    upload->received_bytes = *size;
    upload->status = *size > 0 && *size <= upload->declared_size ? UploadStatus::kUploaded
                                                                 : UploadStatus::kFailed;
    store_.UpdateUpload(*upload);
    if (upload->status == UploadStatus::kFailed) {
      return Error{
          ErrorKind::kPayloadTooLarge, "TOO_LARGE", "The file is larger than the signed size", {}};
    }
  }
  if (upload->status != UploadStatus::kUploaded) {
    return Error::Conflict("UPLOAD_NOT_RECEIVED", "The file has not been uploaded yet");
  }
  if (!IsClipGenre(in.genre)) {
    return Error::InvalidInput("Pick one of the eight genres", "INVALID_GENRE")
        .With("field", "genre");
  }
  const std::string title = text::Sanitize(in.title);
  if (title.empty() || text::CodePointCount(title) > 100) {
    return Error::InvalidInput("Give the clip a title of 1 to 100 characters", "INVALID_TITLE")
        .With("field", "title");
  }
  const std::string description = text::Sanitize(in.description, true);
  if (text::CodePointCount(description) > 500) {
    return Error::InvalidInput("The description is at most 500 characters", "INVALID_DESCRIPTION")
        .With("field", "description");
  }

  // The file decides: its first bytes, then ffprobe. A failure marks the upload failed (the
  // cleanup job removes it) and tells the creator why.
  const auto inspection = inspector_.Inspect(upload->object_key);
  Status verdict = Ok{};
  if (!inspection) {
    verdict =
        Error{ErrorKind::kUnprocessable, "UNREADABLE", "The uploaded file could not be read", {}};
  } else if (const auto container = SniffContainer(inspection->head); !container) {
    verdict = Error{ErrorKind::kUnsupportedMedia,
                    "UNSUPPORTED_FORMAT",
                    "Only MP4, WebM and MOV videos are accepted",
                    {}};
  } else {
    verdict = ValidateClipMedia(*container, inspection->probe, limits_);
  }
  if (!verdict) {
    upload->status = UploadStatus::kFailed;
    store_.UpdateUpload(*upload);
    return verdict.error();
  }

  auto clip = InTransaction(store_, [&]() -> Result<Clip> {
    // Checked again inside the transaction: two registrations of one upload racing past the
    // check above (a double tap, a retried request) make one clip, and the other is told so.
    const auto current = store_.FindUpload(in.key);
    if (!current || current->status != UploadStatus::kUploaded) {
      return Error::Conflict("UPLOAD_ALREADY_REGISTERED", "This upload is already a clip");
    }
    Clip c;
    c.user_id = user.id;
    c.title = title;
    c.description = description;
    c.genre = in.genre;
    c.status = ClipStatus::kPending;
    c.duration_ms = *inspection->probe.duration_ms;
    c.processing = ProcessingStatus::kQueued;
    c.processing_progress = 0;
    c.source_key = upload->object_key;
    c.created_at = clock_.NowMs();
    auto created = store_.InsertClip(c);
    store_.AppendEngagementEvent(kEventClipSubmitted, user.id, created.id, created.title,
                                 c.created_at);
    upload->status = UploadStatus::kRegistered;
    upload->clip_id = created.id;
    store_.UpdateUpload(*upload);
    return created;
  });
  if (clip) {
    queue_.Wake();
    live_->ClipStatusChanged(*clip);
  }
  return clip;
}

Result<Clip> UploadService::ClipForOwner(const User& user, Id clip_id) {
  auto clip = store_.FindClip(clip_id);
  if (!clip || (clip->user_id != user.id && !user.is_admin)) return Error::NotFound("Clip");
  return *clip;
}

Result<Clip> UploadService::RetryProcessing(const User& user, Id clip_id) {
  auto clip = ClipForOwner(user, clip_id);
  if (!clip) return clip.error();
  if (clip->processing != ProcessingStatus::kFailed) {
    return Error::Conflict("NOT_FAILED", "Only clips whose processing failed can be retried");
  }
  store_.SetProcessing(clip_id, ProcessingStatus::kQueued, 0, "");
  queue_.Wake();
  auto updated = *store_.FindClip(clip_id);
  live_->ClipStatusChanged(updated);
  return updated;
}

int UploadService::RemoveAbandoned(EpochMs grace_ms) {
  int removed = 0;
  const EpochMs before = clock_.NowMs() - grace_ms;
  for (const auto& upload : store_.ListAbandonedUploads(before, 500)) {
    if (!store_.IsKeyReferenced(upload.object_key)) {
      objects_.RemoveObject(upload.object_key);
      ++removed;
    }
    store_.DeleteUpload(upload.id);
  }
  return removed;
}

}  // namespace aimoviez
