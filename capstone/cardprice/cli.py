"""`uv run capstone train` and `uv run capstone serve --host H --port P`."""

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="capstone", description="The capstone card price predictor.")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="validate the sales, compare models, save the chosen one")
    train.add_argument("--no-tracking", action="store_true", help="do not log runs to MLflow")
    serve = sub.add_parser("serve", help="serve the UI at / and the API under /api")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--uds", help="serve on this Unix socket instead of host:port")
    docs = sub.add_parser("api-docs", help="write docs/api.md from the app's OpenAPI schema")
    docs.add_argument("--out", default=None)
    args = parser.parse_args(argv)

    if args.command == "train":
        from .train import train as run_training

        try:
            run_training(track=not args.no_tracking)
        except (ValueError, NotImplementedError) as exc:
            print(f"training stopped: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "serve":
        import uvicorn

        from .service import create_app

        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        app = create_app()
        if app.state.predictor is None:
            print("no model yet: /ready answers 503 until you run `uv run capstone train` and restart",
                  file=sys.stderr)
        uvicorn.run(app, host=args.host, port=args.port, uds=args.uds, access_log=False, log_level="warning")
        return 0
    from .apidocs import write_api_docs

    print(f"wrote {write_api_docs(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
