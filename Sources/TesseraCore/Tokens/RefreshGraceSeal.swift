import Crypto

/// Seals the answer of a refresh-token rotation so that only the holder of the presented
/// (rotated-away) token can open it: what `--refresh-reuse-grace` needs to give a client that
/// retries a refresh the same new refresh token, without storing any raw token.
///
/// The key is HKDF-SHA256 of the presented token; the cipher is AES-GCM.
public enum RefreshGraceSeal {
    /// Seals `newToken` under a key derived from `presentedToken`; base64url text.
    public static func seal(_ newToken: String, with presentedToken: String) -> String {
        // AES-GCM with a fresh random nonce cannot fail for a 32-byte key and a short message.
        let box = try! AES.GCM.seal(Array(newToken.utf8), using: key(for: presentedToken))
        return Base64URL.encode(box.combined!)
    }

    /// Opens what `seal` made; nil when the token is not the one it was sealed with, or the text is damaged.
    public static func open(_ sealed: String, with presentedToken: String) -> String? {
        guard let bytes = Base64URL.decode(sealed),
            let box = try? AES.GCM.SealedBox(combined: bytes),
            let plain = try? AES.GCM.open(box, using: key(for: presentedToken))
        else { return nil }
        return String(validating: Array(plain), as: UTF8.self)
    }

    private static func key(for token: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(token.utf8)),
            info: Array("tessera refresh grace v1".utf8),
            outputByteCount: 32
        )
    }
}
