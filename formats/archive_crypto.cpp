#include "formats/archive_crypto.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>

#include "schema/error.h"

namespace bru::archive::crypto {
namespace {

// crypto_kdf context: 8 bytes naming the purpose, so these subkeys differ from any other use of
// the same master key.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'b', 'r', 'u', 'a', 'r', 'c', 'h', '3'};
enum SubkeyId : std::uint64_t {
  kChunkSubkey = 1,
  kTocSubkey = 2,
  kMacSubkey = 3,
  kCheckSubkey = 4
};
constexpr std::string_view kKeyCheckText = "bru archive key check";

static_assert(kSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kMinKdfMemBytes == crypto_pwhash_MEMLIMIT_MIN);

void init_sodium() {
  // Thread-safe and idempotent; fails only when no random source can be opened.
  if (sodium_init() < 0) throw internal_error("libsodium cannot be initialised (no random source)");
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string seal(const unsigned char* key, std::string_view plain, std::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string sealed(kNonce + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  // 192-bit random nonces: no counter to keep, and a collision is out of reach however many
  // chunks are written under one key.
  randombytes_buf(out, kNonce);
  unsigned long long cipher_bytes = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonce, &cipher_bytes, bytes_of(plain),
                                             plain.size(), bytes_of(ad), ad.size(), nullptr, out,
                                             key);
  sealed.resize(kNonce + cipher_bytes);
  return sealed;
}

std::optional<std::string> open(const unsigned char* key, std::string_view sealed,
                                std::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag) return std::nullopt;
  std::string plain(sealed.size() - kNonce - kTag, '\0');
  unsigned long long plain_bytes = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &plain_bytes, nullptr, bytes_of(sealed) + kNonce,
                                                 sealed.size() - kNonce, bytes_of(ad), ad.size(),
                                                 bytes_of(sealed), key) != 0) {
    return std::nullopt;
  }
  plain.resize(plain_bytes);
  return plain;
}

void append_i64(std::string& out, std::int64_t value) {
  for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * byte_idx)) & 0xff));
  }
}

std::string with_label(std::string_view label) {
  std::string ad(label);
  ad.push_back('\0');
  return ad;
}

}  // namespace

std::string new_salt() {
  init_sodium();
  std::string salt(crypto_pwhash_SALTBYTES, '\0');
  randombytes_buf(salt.data(), salt.size());
  return salt;
}

Keys Keys::derive(std::string_view passphrase, std::string_view salt, const KdfLimits& limits) {
  init_sodium();
  if (salt.size() != crypto_pwhash_SALTBYTES) {
    throw internal_error("archive key derivation: the salt has the wrong size");
  }
  std::array<unsigned char, crypto_kdf_KEYBYTES> master{};
  if (crypto_pwhash(master.data(), master.size(), passphrase.data(), passphrase.size(),
                    bytes_of(salt), limits.ops, limits.mem_bytes,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw internal_error(fmt::format(
        "cannot derive the archive key: Argon2id with {} MiB of memory failed (out of memory?)",
        limits.mem_bytes >> 20));
  }
  Keys keys;
  crypto_kdf_derive_from_key(keys.chunk_key_.data(), kKeyBytes, kChunkSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(keys.toc_key_.data(), kKeyBytes, kTocSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(keys.mac_key_.data(), kKeyBytes, kMacSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(keys.check_key_.data(), kKeyBytes, kCheckSubkey, kKdfContext,
                             master.data());
  sodium_memzero(master.data(), master.size());
  return keys;
}

Keys::Keys(Keys&& other) noexcept
    : chunk_key_(other.chunk_key_),
      toc_key_(other.toc_key_),
      mac_key_(other.mac_key_),
      check_key_(other.check_key_) {
  sodium_memzero(&other.chunk_key_, sizeof other.chunk_key_ * 4);
}

Keys::~Keys() {
  // The four arrays are adjacent members of the same type: one wipe covers them.
  static_assert(sizeof(Keys) == 4 * kKeyBytes);
  sodium_memzero(&chunk_key_, sizeof chunk_key_ * 4);
}

std::string Keys::seal_chunk(std::string_view plain, std::string_view ad) const {
  return seal(chunk_key_.data(), plain, ad);
}
std::string Keys::seal_toc(std::string_view plain, std::string_view ad) const {
  return seal(toc_key_.data(), plain, ad);
}
std::optional<std::string> Keys::open_chunk(std::string_view sealed, std::string_view ad) const {
  return open(chunk_key_.data(), sealed, ad);
}
std::optional<std::string> Keys::open_toc(std::string_view sealed, std::string_view ad) const {
  return open(toc_key_.data(), sealed, ad);
}

std::string Keys::toc_mac(const std::function<void(const ByteSink&)>& feed) const {
  crypto_auth_hmacsha512256_state state;
  crypto_auth_hmacsha512256_init(&state, mac_key_.data(), mac_key_.size());
  feed([&state](std::string_view bytes) {
    crypto_auth_hmacsha512256_update(&state, bytes_of(bytes), bytes.size());
  });
  std::string mac(crypto_auth_hmacsha512256_BYTES, '\0');
  crypto_auth_hmacsha512256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

std::string Keys::key_check() const {
  std::string mac(crypto_auth_hmacsha512256_BYTES, '\0');
  crypto_auth_hmacsha512256(reinterpret_cast<unsigned char*>(mac.data()), bytes_of(kKeyCheckText),
                            kKeyCheckText.size(), check_key_.data());
  return mac;
}

std::string chunk_ad(std::int64_t object_id, std::int64_t seq, std::int64_t row_count,
                     std::int64_t raw_bytes) {
  std::string ad = with_label("bru chunk");
  for (std::int64_t value : {object_id, seq, row_count, raw_bytes}) append_i64(ad, value);
  return ad;
}

std::string object_ad(std::int64_t object_id) {
  std::string ad = with_label("bru object");
  append_i64(ad, object_id);
  return ad;
}

std::string meta_ad(std::string_view key) {
  std::string ad = with_label("bru meta");
  ad.append(key);
  return ad;
}

bool same_bytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string to_hex(std::string_view bytes) {
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes_of(bytes), bytes.size());
  text.pop_back();
  return text;
}

std::optional<std::string> from_hex(std::string_view text) {
  std::string bytes(text.size() / 2, '\0');
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (text.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                     text.size(), nullptr, &decoded, &end) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  bytes.resize(decoded);
  return bytes;
}

std::string to_base64(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes_of(bytes), bytes.size(), kVariant);
  text.resize(std::strlen(text.c_str()));
  return text;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &decoded, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  bytes.resize(decoded);
  return bytes;
}

}  // namespace bru::archive::crypto
