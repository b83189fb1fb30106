import { Link } from "@remix-run/react";

/** A sign-in through another site that did not open a session: why, and the way back to the password sign-in. */
export function SignInRefused({ message }: { message: string }) {
  return (
    <section className="narrow card">
      <h1>统一身份认证</h1>
      <p className="notice error" role="alert">
        {message}
      </p>
      <p>
        <Link to="/login">返回登录页</Link>
      </p>
    </section>
  );
}
