// The cheap literal test for "this line may hold a Kubernetes auth error": every pattern of authErrors.ts contains
// one of these (JSON-escaped quotes included). Its own module so that the activation bundle can test a hovered line
// without loading the patterns. Few, distinctive literals: this one scan is most of `sa-token explain`'s work.
export const AUTH_ERROR_TRIGGER =
  /Unauthorized|invalid bearer token|["\]] cannot |has expired|token is expired|invalidated|marked invalid|server's copy|does not match|has been deleted|" not found|cryptographic primitive|no keys found|verification error|token audiences|in-cluster configuration|\/serviceaccount\/token|token file|ncorrect token audience|AADSTS7002|claim \\?"aud|not authorized/;
