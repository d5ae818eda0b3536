/// A password and its hash made by Python's bcrypt 5 (`bcrypt.hashpw(password, bcrypt.gensalt(12))`),
/// as a FastAPI/passlib user store holds it.
public enum PasslibHash {
    /// The password.
    public static let password = "correct horse battery staple"
    /// Its `$2b$12$` hash.
    public static let bcrypt = "$2b$12$6fJ6yyPdjnC0HlutF.XRT.7D/eMa8pgON4gVKajUd/DxDoRe6XorK"
}
