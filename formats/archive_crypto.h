// Encryption and authentication of an archive (format 3, FORMAT.md "Encrypted archives"):
// Argon2id turns a passphrase into a master key, BLAKE2b (crypto_kdf) derives one subkey per use
// from it, XChaCha20-Poly1305 seals chunks, table definitions and free-form meta values, and
// HMAC-SHA-512-256 authenticates the whole table of contents. Internal to formats/: the writer and
// the reader both use these functions, so each construction exists once.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "formats/archive.h"

namespace bru::archive::crypto {

// Bounds on the Argon2id limits a reader accepts from an archive: a crafted archive must not make
// bru spend minutes or gigabytes before it can say "authentication failed".
inline constexpr std::uint64_t kMaxKdfOps = 16;
inline constexpr std::uint64_t kMaxKdfMemBytes = std::uint64_t{1} << 30;
inline constexpr std::uint64_t kMinKdfMemBytes = 8192;  // crypto_pwhash_MEMLIMIT_MIN
inline constexpr std::size_t kSaltBytes = 16;           // crypto_pwhash_SALTBYTES

// The random salt for a new archive (crypto_pwhash_SALTBYTES bytes).
std::string new_salt();

// A feed of bytes into an HMAC (the table of contents stream, archive_toc.h).
using ByteSink = std::function<void(std::string_view)>;

// The subkeys of one archive, derived from the passphrase. Move-only; wipes its keys.
class Keys {
 public:
  // Argon2id (crypto_pwhash, ALG_ARGON2ID13) of the passphrase with the archive's salt and
  // limits, then one crypto_kdf subkey per use. Throws Error(kInternal) when the derivation fails
  // (out of memory); the caller checks the limits first (kMaxKdfOps, kMaxKdfMemBytes).
  static Keys derive(std::string_view passphrase, std::string_view salt, const KdfLimits& limits);
  Keys(Keys&& other) noexcept;
  Keys& operator=(Keys&&) = delete;
  Keys(const Keys&) = delete;
  ~Keys();

  // XChaCha20-Poly1305 with a fresh random nonce: returns nonce || ciphertext || tag.
  // `ad` (additional data) is authenticated, not stored: the reader must give the same.
  std::string seal_chunk(std::string_view plain, std::string_view ad) const;
  std::string seal_toc(std::string_view plain, std::string_view ad) const;
  // The inverse; nullopt when the tag does not match (wrong key, changed bytes or other `ad`).
  std::optional<std::string> open_chunk(std::string_view sealed, std::string_view ad) const;
  std::optional<std::string> open_toc(std::string_view sealed, std::string_view ad) const;

  // HMAC-SHA-512-256 with the table of contents subkey over what `feed` writes into the sink.
  std::string toc_mac(const std::function<void(const ByteSink&)>& feed) const;
  // HMAC-SHA-512-256 of a fixed text with its own subkey: tells a wrong key from a changed file.
  std::string key_check() const;

 private:
  static constexpr std::size_t kKeyBytes = 32;
  Keys() = default;
  std::array<unsigned char, kKeyBytes> chunk_key_{};
  std::array<unsigned char, kKeyBytes> toc_key_{};
  std::array<unsigned char, kKeyBytes> mac_key_{};
  std::array<unsigned char, kKeyBytes> check_key_{};
};

// The additional data that binds a sealed value to its place in the archive, so that no sealed
// value can be moved to another place (another table, chunk number, row count or meta key).
std::string chunk_ad(std::int64_t object_id, std::int64_t seq, std::int64_t row_count,
                     std::int64_t raw_bytes);
std::string object_ad(std::int64_t object_id);
std::string meta_ad(std::string_view key);

// Whether two MACs are equal, in constant time (sodium_memcmp).
bool same_bytes(std::string_view a, std::string_view b);

// Text forms for TEXT columns: lower-case hex (salt, MACs) and base64 (sealed values).
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view text);
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

}  // namespace bru::archive::crypto
