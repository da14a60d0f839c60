package dev.turbocache.server.storage.s3;

import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.TurboCacheConfig;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The server-side encryption every upload asks for ({@code storage.s3.serverSideEncryption} and
 * {@code kmsKeyId}). Sent per object, so it holds also where the bucket has no default encryption
 * or the store has no bucket-encryption API (Ceph RGW 16 encrypts per object with SSE-KMS).
 *
 * @param algorithm null: the bucket's default applies
 * @param kmsKeyId null: the account's S3 key (with aws:kms)
 */
record S3Encryption(ServerSideEncryption algorithm, String kmsKeyId) {
  static final S3Encryption BUCKET_DEFAULT = new S3Encryption(null, null);

  static S3Encryption of(TurboCacheConfig.S3 config) {
    String algorithm = S3Clients.isBlank(config.serverSideEncryption()) ? null : config.serverSideEncryption().trim();
    String key = S3Clients.isBlank(config.kmsKeyId()) ? null : config.kmsKeyId().trim();
    if (algorithm == null) {
      if (key != null) {
        throw new ConfigException("storage.s3.kmsKeyId needs storage.s3.serverSideEncryption aws:kms");
      }
      return BUCKET_DEFAULT;
    }
    ServerSideEncryption sse = ServerSideEncryption.fromValue(algorithm);
    if (sse != ServerSideEncryption.AES256 && sse != ServerSideEncryption.AWS_KMS) {
      throw new ConfigException("storage.s3.serverSideEncryption must be empty, AES256 or aws:kms, not '"
          + algorithm + "'");
    }
    if (key != null && sse != ServerSideEncryption.AWS_KMS) {
      throw new ConfigException("storage.s3.kmsKeyId needs storage.s3.serverSideEncryption aws:kms");
    }
    return new S3Encryption(sse, key);
  }

  PutObjectRequest.Builder apply(PutObjectRequest.Builder b) {
    return algorithm == null ? b : b.serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId);
  }

  CreateMultipartUploadRequest.Builder apply(CreateMultipartUploadRequest.Builder b) {
    return algorithm == null ? b : b.serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId);
  }
}
