# Multi-stage build: SDK to publish, ASP.NET runtime to run as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish OfferHub.Lite.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The default SQLite file (no DATABASE_URL) lives in /data, which the non-root user owns.
RUN mkdir -p /data && chown app:app /data
VOLUME /data
ENV ASPNETCORE_URLS=http://+:4000 \
    ASPNETCORE_ENVIRONMENT=Production \
    OFFERHUB_DATA_DIR=/data
EXPOSE 4000
USER app
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/4000 && printf "GET /api/v1/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# SIGTERM ends live streams at once and lets requests and jobs finish (8 s at most), inside
# docker stop's 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "OfferHub.Lite.dll"]
