import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The JWTs of the benchmark's JWT cells, and the JWKS that verifies them, without an issuer
 * process: a fresh RS256 key (what GitHub Actions signs with), its public half as a JWKS file for
 * the server's {@code jwksFile}, and {@code count} tokens with distinct {@code jti}, valid for
 * 12 hours. Run as a source file: {@code java JwtMint.java DIR COUNT ISSUER AUDIENCE SUBJECT}
 * writes DIR/jwks.json and DIR/tokens.txt (one token per line).
 */
public final class JwtMint {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: java JwtMint.java DIR COUNT ISSUER AUDIENCE SUBJECT");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    String issuer = args[2];
    String audience = args[3];
    String subject = args[4];
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"use\":\"sig\",\"alg\":\"RS256\","
        + "\"n\":\"" + unsigned(pub.getModulus()) + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}\n");

    String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"bench\"}");
    long now = System.currentTimeMillis() / 1000;
    Signature rsa = Signature.getInstance("SHA256withRSA");
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String claims = b64("{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + subject
          + "\",\"jti\":\"bench-" + i + "\",\"iat\":" + now + ",\"exp\":" + (now + 12 * 3600) + "}");
      String signingInput = header + "." + claims;
      rsa.initSign(keys.getPrivate());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      tokens.add(signingInput + "." + B64.encodeToString(rsa.sign()));
    }
    Files.write(dir.resolve("tokens.txt"), tokens);
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A JWK number: big-endian, without the sign byte BigInteger adds. */
  private static String unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return B64.encodeToString(bytes);
  }
}
