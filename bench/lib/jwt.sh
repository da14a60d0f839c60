# JWTs for the benchmark's JWT cells (sourced after lib/common.sh): mint_jwts writes, in JWT_DIR,
# a JWKS file and JWT_COUNT RS256 tokens of one subject (lib/JwtMint.java), jwt_issuer_config the
# server's auth.jwt section trusting them (keys from the file: no issuer process, no fetch), and
# bearer_of what a target's requests carry for its auth mode (AUTH_OF: token, jwt or jwt-fresh).
#
# jwt: every request carries the same token, as turbo sends one token for a whole run (the server
# remembers its check for 60 s, so this is the cost of a remembered JWT). jwt-fresh: each GET the
# next of JWT_COUNT tokens, more than the 10 000 the server remembers, so every request's
# signature is checked: the cost of a token the server has not seen.

JWT_ISSUER="https://bench.invalid"
JWT_COUNT="${BENCH_JWT_COUNT:-12000}"

mint_jwts() {
  JWT_DIR="$WORK/jwt"
  mkdir -p "$JWT_DIR"
  log "minting $JWT_COUNT RS256 tokens"
  "$JAVA" "$BENCH_DIR/lib/JwtMint.java" "$JWT_DIR" "$JWT_COUNT" "$JWT_ISSUER" bench bench
}

jwt_issuer_config() {
  cat <<EOF
  jwt:
    issuers:
      - issuer: $JWT_ISSUER
        audiences: [bench]
        jwksFile: $JWT_DIR/jwks.json
        algorithms: [RS256]
        rules:
          - match: {sub: bench}
            teams: ["*"]
            access: admin
EOF
}

bearer_of() { # target [single] -> the token argument of its wrk cells; with single, one token (curl, PUT scripts)
  case "${AUTH_OF[$1]:-token}" in
    token) echo "$TOKEN" ;;
    jwt) head -n1 "$JWT_DIR/tokens.txt" ;;
    jwt-fresh) if [[ -n "${2:-}" ]]; then head -n1 "$JWT_DIR/tokens.txt"; else echo "@$JWT_DIR/tokens.txt"; fi ;;
    *) echo "unknown auth mode '${AUTH_OF[$1]}' (token, jwt or jwt-fresh)" >&2; return 1 ;;
  esac
}
