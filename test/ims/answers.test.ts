// IMS answers of the wrong shape: an error naming the action, never an application of blanks.
import { createServer, type Server } from "node:http";
import { ImsClient, ImsError } from "../../lib/core/ims";

/** A server that answers every IMS call with this JSON body, as IMS would with HTTP 200. */
async function answering(body: unknown): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

function clientOf(endpoint: string): ImsClient {
  return new ImsClient({
    env: {},
    endpoint,
    accessKeyId: "LTAIanswers",
    accessKeySecret: "answers-secret-0123",
  });
}

describe("IMS answers", () => {
  it("refuses an application without its AppId, naming the action", async () => {
    const { server, endpoint } = await answering({
      RequestId: "r-1",
      Application: { AppName: "scim-sync", DisplayName: "SCIM", AccessTokenValidity: 3600 },
    });
    try {
      const failed = await clientOf(endpoint)
        .getApplication("4000000000000000001")
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(ImsError);
      expect(failed).toMatchObject({ action: "GetApplication", code: "UnexpectedAnswer" });
    } finally {
      server.close();
    }
  });

  it("finds an application by name past another that IMS lists incompletely", async () => {
    const { server, endpoint } = await answering({
      RequestId: "r-3",
      Applications: {
        Application: [
          { AppId: "4000000000000000009", AppName: "someone-elses-app", AppType: "WebApp" },
          {
            AppId: "4000000000000000001",
            AppName: "scim-sync",
            DisplayName: "SCIM",
            AccessTokenValidity: 3600,
          },
        ],
      },
    });
    try {
      const ims = clientOf(endpoint);
      await expect(ims.findApplication("scim-sync")).resolves.toMatchObject({
        appId: "4000000000000000001",
      });
      await expect(ims.findApplication("someone-elses-app")).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it("reads a complete application", async () => {
    const { server, endpoint } = await answering({
      RequestId: "r-2",
      Application: {
        AppId: "4000000000000000001",
        AppName: "scim-sync",
        DisplayName: "SCIM",
        AccessTokenValidity: 3600,
        AppType: "ServerApp",
      },
    });
    try {
      await expect(clientOf(endpoint).getApplication("4000000000000000001")).resolves.toMatchObject(
        {
          appId: "4000000000000000001",
          appName: "scim-sync",
          accessTokenValidity: 3600,
          predefinedScopes: [],
        },
      );
    } finally {
      server.close();
    }
  });
});
