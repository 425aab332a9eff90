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
 * SigV4 with UNSIGNED-PAYLOAD over plain http too, as rclone and the SDK over https do. The SDK otherwise SHA-256s
 * every body sent over http, and the server hashes it again, which halves the rate of large objects; integrity stays
 * with the Content-MD5 on every PUT and part. The scheme is not part of the signature, so the request is signed as
 * if it were https and sent as http; endpoints on port 80 keep signed payloads, whose Host header would differ.
 */
final class UnsignedPayloadOverHttp implements AwsV4AuthScheme {
    private final AwsV4AuthScheme standard = AwsV4AuthScheme.create();
    private final AwsV4HttpSigner signer = new Signer(standard.signer());

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

    static boolean applies(SdkHttpRequest request) {
        return "http".equals(request.protocol()) && request.port() != 80 && request.port() != 443 && request.port() > 0;
    }

    private record Signer(AwsV4HttpSigner delegate) implements AwsV4HttpSigner {
        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!applies(http)) {
                return delegate.sign(request);
            }
            SignRequest<? extends AwsCredentialsIdentity> asHttps = request.copy(b -> b.request(http.toBuilder().protocol("https").build())
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
            SignedRequest signed = delegate.sign(asHttps);
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return delegate.signAsync(request);
        }
    }
}
