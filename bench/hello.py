"""The reference point: Flask's hello-world route, served the same way as Corkboard."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
