package io.github.miniomigrator.config;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with the payload mode {@link PayloadSigning} holds. Unsigned, bodies go out as UNSIGNED-PAYLOAD over plain http
 * too, as rclone sends them: the SDK otherwise SHA-256s every body sent over http and the server hashes it again,
 * which halves the rate of large objects, while Content-MD5 on every PUT and part carries the integrity. The scheme is
 * not part of the signature, so such a request is signed as if it were https (port 80 as 443, so that the signed Host
 * header is the one sent) and sent as http. Signed, every body's SHA-256 is in the signature, over https as well.
 */
final class PayloadSigningScheme implements AwsV4AuthScheme {
    private final AwsV4AuthScheme standard = AwsV4AuthScheme.create();
    private final AwsV4HttpSigner signer;

    PayloadSigningScheme(PayloadSigning mode) {
        this.signer = new Signer(standard.signer(), mode);
    }

    @Override
    public String schemeId() {
        return standard.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return standard.identityProvider(providers);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return signer;
    }

    private record Signer(AwsV4HttpSigner delegate, PayloadSigning mode) implements AwsV4HttpSigner {
        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> original) {
            SignRequest<? extends AwsCredentialsIdentity> request = md5Only(original);
            if (mode.signed()) {
                return delegate.sign(request.copy(b -> b.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)));
            }
            SdkHttpRequest http = request.request();
            if (!"http".equals(http.protocol())) {
                return delegate.sign(request.copy(b -> b.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
            }
            int port = http.port();
            SignRequest<? extends AwsCredentialsIdentity> asHttps = request.copy(b -> b
                    .request(http.toBuilder().protocol("https").port(port == 80 ? 443 : port).build())
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
            SignedRequest signed = delegate.sign(asHttps);
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").port(port).build()));
        }

        /**
         * A request the store requires a checksum of (DeleteObjects) carries the Content-MD5 LegacyMd5Plugin gave it, and
         * not the SDK's CRC32 besides (x-amz-checksum-crc32 and x-amz-sdk-checksum-algorithm even under WHEN_REQUIRED):
         * S3Proxy answers that header 501 NotImplemented, OSS documents only Content-MD5.
         */
        private static SignRequest<? extends AwsCredentialsIdentity> md5Only(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (http.firstMatchingHeader("Content-MD5").isEmpty() || !request.hasProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM)) {
                return request;
            }
            return request.copy(b -> b.request(http.toBuilder().removeHeader("x-amz-sdk-checksum-algorithm").build())
                    .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, null));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return delegate.signAsync(request);
        }
    }
}
